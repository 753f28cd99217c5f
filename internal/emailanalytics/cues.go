package emailanalytics

// cueKind is what the words before a number say the number is.
type cueKind uint8

const (
	cueNone cueKind = iota
	cueCard
	cueCVV
	cueExpiry
	cueRouting
	cueAccount
	cuePIN
	cueSSN
	cuePhone
	cueNegative // order, invoice, tracking, date ... : not personal data
)

// cue is the result of looking back from a number.
type cue struct {
	kind      cueKind
	weakPhone bool   // "number" with no stronger cue: "my number is …"
	prevWord  string // the nearest word, lower-cased
	distance  int    // how many words back the cue was (0 = the nearest word)
}

// blocks reports whether a negative cue is close enough to veto a number
// whose shape alone identifies it (a card or a formatted phone number):
// "Order #4111…" vetoes, a "reservation" five words earlier does not.
func (c cue) blocks() bool { return c.kind == cueNegative && c.distance <= 1 }

// cueBefore reads up to six words back from i, within the same sentence and
// paragraph, and returns the nearest cue. t is the lower-cased text. Nearest wins, so in "routing and
// account: 021000021 / 12345678" each number takes its own label.
func cueBefore(t string, i int) cue {
	var c cue
	limit := max(0, i-80)
	for n := 0; n < 6 && i > limit; n++ {
		// Skip separators back to the previous word, stopping at a
		// sentence end or a blank line.
		newlines := 0
		for i > limit && !isWordByte(t[i-1]) {
			switch t[i-1] {
			case '\n':
				newlines++
				if newlines > 1 {
					return c
				}
			case '.', '!', '?':
				if i < len(t) && (t[i] == ' ' || t[i] == '\n') && !abbreviationBefore(t, i-1) {
					return c
				}
			}
			i--
		}
		end := i
		for i > limit && isWordByte(t[i-1]) {
			i--
		}
		if end == i {
			break
		}
		w := t[i:end]
		if n == 0 {
			c.prevWord = w
		}
		k := cueWord(w)
		if w == "security" && wordBefore(t, i) == "social" {
			k = cueSSN
		}
		switch {
		case k == cuePhone && w == "number":
			c.weakPhone = true
		case k != cueNone:
			c.kind = k
			c.distance = n
			return c
		}
	}
	return c
}

// isWordByte reports bytes that belong to cue words; '#' and '/' keep
// "ss#" and "a/c" whole.
func isWordByte(c byte) bool { return isASCIIAlnum(c) || c == '#' || c == '/' || c == '\'' }

// abbreviationBefore reports whether the '.' at i ends a short abbreviation
// ("No.", "Exp.", "acct.") rather than a sentence.
func abbreviationBefore(t string, i int) bool {
	j := i
	for j > 0 && isASCIILetter(t[j-1]) {
		j--
	}
	return i-j > 0 && i-j <= 4
}

// wordBefore returns the word of letters that ends before i.
func wordBefore(t string, i int) string {
	for i > 0 && (t[i-1] == ' ' || t[i-1] == '\t') {
		i--
	}
	j := i
	for j > 0 && isASCIILetter(t[j-1]) {
		j--
	}
	return t[j:i]
}

// cueWord classifies one lower-cased word.
func cueWord(w string) cueKind {
	switch w {
	case "card", "cards", "visa", "mastercard", "amex", "discover", "jcb", "unionpay",
		"diners", "maestro", "credit", "debit", "cc", "ccn", "pan", "cardnumber", "creditcard",
		"express", "american", "mc":
		return cueCard
	case "cvv", "cvv2", "cvc", "cvc2", "cid", "csc", "cvn", "cvd", "cav2", "security",
		"verification":
		return cueCVV
	case "exp", "expiry", "expiration", "expires", "expire", "expiring", "expdate",
		"thru", "valid":
		return cueExpiry
	case "routing", "aba", "rtn", "transit", "routingnumber":
		return cueRouting
	case "account", "accounts", "acct", "acc", "a/c", "accountnumber", "checking",
		"savings", "iban":
		return cueAccount
	case "pin", "pins", "pincode":
		return cuePIN
	case "ssn", "ss#", "ssns", "social":
		return cueSSN
	case "phone", "telephone", "tel", "mobile", "cell", "cellphone", "call", "text",
		"sms", "fax", "whatsapp", "ph", "ring", "landline", "mob", "telefono",
		"teléfono", "tlf", "number":
		return cuePhone
	case "order", "orders", "order#", "invoice", "inv", "tracking", "track", "ref",
		"reference", "confirmation", "conf", "ticket", "case", "case#", "po", "sku",
		"item", "model", "serial", "part", "version", "ver", "v", "build", "booking",
		"reservation", "claim", "rma", "receipt", "transaction", "txn", "shipment",
		"package", "parcel", "awb", "waybill", "lot", "batch", "isbn", "upc", "ean",
		"voucher", "coupon", "promo", "gift", "id", "member", "membership", "loyalty",
		"license", "licence", "meeting", "passcode", "room", "page", "store",
		"register", "zip", "postcode", "postal", "policy", "flight", "seat", "gate",
		"ext", "extension", "x", "nmls", "employee", "customer", "user", "username",
		"quote", "qty", "quantity", "unit", "apt", "suite", "floor", "box", "route",
		"highway", "hwy", "date", "dob", "born", "birth", "birthday", "ending", "last",
		"year", "years", "age", "ip", "port", "error", "key", "pallet", "dock":
		return cueNegative
	}
	return cueNone
}
