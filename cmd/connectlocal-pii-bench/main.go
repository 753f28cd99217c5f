// Command connectlocal-pii-bench measures the email PII detector: precision,
// recall and F1 per entity type on the labelled corpus, and how long the
// analysis of a body takes (what the service does to an HTML email: ParseBody,
// PlainText, Redact) on an HTML
// email of about 1 MB built from the corpus.
//
// A detection counts when it overlaps a labelled entity of the same type;
// see package piieval for the full matching rule.
//
// Usage:
//
//	go run ./cmd/connectlocal-pii-bench [-corpus dir] [-size bytes] [-runs n] [-v]
//
// It exits with status 1 when a quality or speed target is missed.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/connectlocal/connectlocal/internal/emailanalytics/piieval"
)

// maxAnalysis is the speed target for the whole analysis of a 1 MB document.
const maxAnalysis = 50 * time.Millisecond

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "connectlocal-pii-bench:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("connectlocal-pii-bench", flag.ContinueOnError)
	corpus := fs.String("corpus", "internal/emailanalytics/testdata/corpus", "directory of labelled emails")
	holdout := fs.String("holdout", "internal/emailanalytics/testdata/holdout",
		"directory of labelled emails never used to tune the detector (reported, not enforced; empty to skip)")
	size := fs.Int("size", 1<<20, "size in bytes of the HTML email to time")
	runs := fs.Int("runs", 25, "timed runs (the median of many is steadier on a shared machine)")
	verbose := fs.Bool("v", false, "list every miss and false positive")
	speedTarget := fs.Duration("speed-target", maxAnalysis, "median analysis time to meet (0: report the time, enforce nothing)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	emails, err := piieval.LoadCorpus(*corpus)
	if err != nil {
		return err
	}
	res, err := piieval.Evaluate(emails)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "corpus: %d emails in %s (match: same type, overlapping span)\n\n", res.Emails, *corpus)
	res.WriteTable(out)
	if *verbose {
		fmt.Fprintln(out)
		res.WriteFindings(out)
	}
	if *holdout != "" {
		if err := reportHoldout(*holdout, *verbose, out); err != nil {
			return err
		}
	}
	fmt.Fprintln(out)
	t := piieval.Time(piieval.BenchDocument(emails, *size), *runs)
	t.WriteTiming(out)

	failures := res.Failures()
	if *speedTarget > 0 && t.Med.Total > *speedTarget {
		failures = append(failures, fmt.Sprintf("median analysis time %s > %s", t.Med.Total, *speedTarget))
	}
	fmt.Fprintln(out)
	if len(failures) > 0 {
		for _, f := range failures {
			fmt.Fprintln(out, "MISSED:", f)
		}
		return fmt.Errorf("%d targets missed", len(failures))
	}
	fmt.Fprintln(out, "all targets met")
	return nil
}

// reportHoldout prints the figures for the held-out emails, which estimate
// how the detector does on text it was not tuned on.
func reportHoldout(dir string, verbose bool, out io.Writer) error {
	emails, err := piieval.LoadCorpus(dir)
	if err != nil {
		return err
	}
	res, err := piieval.Evaluate(emails)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nheld out: %d emails in %s (not used for tuning; not enforced)\n\n", res.Emails, dir)
	res.WriteTable(out)
	if verbose {
		fmt.Fprintln(out)
		res.WriteFindings(out)
	}
	return nil
}
