package emailanalytics_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/connectlocal/connectlocal/internal/emailanalytics"
)

func TestScratchSizes(t *testing.T) {
	doc, _ := benchDoc()
	t0 := time.Now()
	text := emailanalytics.PlainText("text/html", doc)
	t1 := time.Now()
	ents := emailanalytics.Detect(text)
	t2 := time.Now()
	fmt.Println(len(doc), len(text), len(ents), t1.Sub(t0), t2.Sub(t1))
}
