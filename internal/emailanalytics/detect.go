package emailanalytics

// Detect finds personal data in text and returns it sorted by Start, with no
// two entities overlapping: where detectors disagree the most specific type
// wins (a Luhn-valid card over an account number, an email over a name), then
// the longest span.
func Detect(text string) []Entity {
	d := &detector{text: text, lower: asciiLower(text), lastCardEnd: -1, lastAccountEnd: -1}
	d.findEmails()
	d.findNumbers()
	d.findIBANs()
	d.words = tokenize(text)
	d.findAddresses()
	d.findNames()
	return d.propagate(resolve(text, d.cands))
}

// detector holds the state of one Detect call.
type detector struct {
	text           string
	lower          string // text with ASCII letters lower-cased, same offsets
	cands          []Entity
	words          []word
	lastCardEnd    int // end of the last card number, for expiry and CVV after it
	lastAccountEnd int // end of the last account number, for a routing number after it
}

func (d *detector) add(typ string, start, end int) {
	d.cands = append(d.cands, Entity{Type: typ, Start: start, End: end})
}
