package emailanalytics

// Detect finds personal data in text and returns it sorted by Start, with no
// two entities overlapping: where detectors disagree the most specific type
// wins (a Luhn-valid card over an account number, an email over a name), then
// the longest span. Large texts are scanned in parallel parts (see
// detectParallel); the result is the same as scanning them whole.
func Detect(text string) []Entity {
	lower := asciiLower(text)
	if n := workers(len(text)); n > 1 {
		return detectParallel(text, lower, n)
	}
	d := newDetector(text, lower)
	d.scan()
	return d.propagate(resolve(text, d.cands))
}

// detector holds the state of one scan of a text.
type detector struct {
	text           string
	lower          string // text with ASCII letters lower-cased, same offsets
	cands          []cand
	words          []word
	lastCardEnd    int // end of the last card number, for expiry and CVV after it
	lastAccountEnd int // end of the last account number, for a routing number after it
}

func newDetector(text, lower string) *detector {
	return &detector{text: text, lower: lower, lastCardEnd: -1, lastAccountEnd: -1,
		cands: make([]cand, 0, len(text)/64)}
}

// scan runs every detector, collecting candidates.
func (d *detector) scan() {
	d.findEmails()
	d.findNumbers()
	d.words = tokenize(d.text)
	d.findIBANs()
	d.findAddresses()
	d.findNames()
}

func (d *detector) add(k kind, start, end int) {
	d.cands = append(d.cands, cand{start: int32(start), end: int32(end), kind: k})
}
