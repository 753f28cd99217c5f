package piieval

import (
	"fmt"
	"io"
	"runtime"
	"text/tabwriter"
	"time"
)

// WriteTable prints precision, recall and F1 per type and overall.
func (res Result) WriteTable(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "type\texpected\tdetected\tTP\tFP\tFN\tprecision\trecall\tF1\texact\t\n")
	row := func(name string, c Counts) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%.3f\t%.3f\t%.3f\t%d\t\n", name, c.Expected, c.Detected,
			c.TruePos, c.FalsePos, c.FalseNeg, c.Precision(), c.Recall(), c.F1(), c.Exact)
	}
	for _, t := range res.Types() {
		row(t, *res.ByType[t])
	}
	row("OVERALL", res.Overall)
	tw.Flush()
}

// WriteFindings prints the misses and false positives.
func (res Result) WriteFindings(w io.Writer) {
	for _, f := range res.Misses {
		fmt.Fprintf(w, "miss  %-20s %-40s %q\n", f.Type, f.Email, f.Text)
	}
	for _, f := range res.Extra {
		fmt.Fprintf(w, "extra %-20s %-40s %q\n", f.Type, f.Email, f.Text)
	}
}

// WriteTiming prints the timing summary.
func (t Timing) WriteTiming(w io.Writer) {
	mb := float64(t.Bytes) / (1 << 20)
	fmt.Fprintf(w, "document: %d bytes of HTML (%.2f MiB), %d runs, GOMAXPROCS %d\n", t.Bytes, mb, t.Runs, runtime.GOMAXPROCS(0))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "stage\tmin\tmedian\t\n")
	row := func(name string, a, b time.Duration) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t\n", name, a.Round(10*time.Microsecond), b.Round(10*time.Microsecond))
	}
	row("ParseBody (tokenize)", t.Min.Parse, t.Med.Parse)
	row("PlainText", t.Min.PlainText, t.Med.PlainText)
	row("Redact (plain text and HTML)", t.Min.Redact, t.Med.Redact)
	row("total", t.Min.Total, t.Med.Total)
	if t.Med.CPU > 0 {
		row("total CPU time", t.Min.CPU, t.Med.CPU)
	}
	tw.Flush()
	fmt.Fprintf(w, "throughput: %.1f MiB/s (min), %.1f MiB/s (median)\n",
		mb/t.Min.Total.Seconds(), mb/t.Med.Total.Seconds())
}
