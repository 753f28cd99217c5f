package emailanalytics

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestScratchDetect(t *testing.T) {
	files, _ := filepath.Glob("testdata/corpus/0*.*")
	for _, f := range files {
		if strings.HasSuffix(f, ".json") {
			continue
		}
		if p := os.Getenv("ONLY"); p != "" && !strings.Contains(f, p) {
			continue
		}
		b, _ := os.ReadFile(f)
		ct := "text/plain"
		if strings.HasSuffix(f, ".html") {
			ct = "text/html"
		}
		txt := PlainText(ct, string(b))
		fmt.Printf("=== %s\n", f)
		for _, e := range Detect(txt) {
			fmt.Printf("  %-20s %q\n", e.Type, e.Text)
		}
	}
}
