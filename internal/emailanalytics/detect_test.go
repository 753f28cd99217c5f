package emailanalytics

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// pair is an expected entity: type and text.
type pair struct{ typ, text string }

func (p pair) String() string { return p.typ + ":" + p.text }

func pairs(ents []Entity) []pair {
	out := make([]pair, len(ents))
	for i, e := range ents {
		out[i] = pair{e.Type, e.Text}
	}
	return out
}

// p builds a pair list from "TYPE:text" strings.
func p(specs ...string) []pair {
	var out []pair
	for _, s := range specs {
		typ, text, _ := strings.Cut(s, ":")
		out = append(out, pair{typ, text})
	}
	return out
}

// detectCase is one row of a detector table: the text and every entity
// Detect must return for it, in order.
type detectCase struct {
	name string
	text string
	want []pair
}

func runDetectTable(t *testing.T, tests []detectCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ents := Detect(tt.text)
			if got := pairs(ents); !slices.Equal(got, tt.want) {
				t.Errorf("Detect(%q)\n got %v\nwant %v", tt.text, got, tt.want)
			}
			for _, e := range ents {
				if tt.text[e.Start:e.End] != e.Text {
					t.Errorf("offsets %d-%d do not give %q", e.Start, e.End, e.Text)
				}
			}
		})
	}
}

func TestDetectEmail(t *testing.T) {
	runDetectTable(t, []detectCase{
		{"plain", "write to jane.doe@example.com today", p("EMAIL:jane.doe@example.com")},
		{"plus and subdomain", "first.last+tag@mail.example.co.uk.", p("EMAIL:first.last+tag@mail.example.co.uk")},
		{"apostrophe", "o'connor@example.org", p("EMAIL:o'connor@example.org")},
		{"mailto", "(mailto:help@example.com?subject=Hi)", p("EMAIL:help@example.com")},
		{"angle brackets", "<support@example.com>", p("EMAIL:support@example.com")},
		{"no tld", "support@localhost", nil},
		{"no local part", "@example.com", nil},
		{"no domain", "user@ nothing", nil},
		{"numeric tld", "a@b.c1", nil},
	})
}

func TestDetectPhone(t *testing.T) {
	runDetectTable(t, []detectCase{
		{"dashes", "call 415-555-0100 now", p("PHONE:415-555-0100")},
		{"parens", "(415) 555-0100", p("PHONE:(415) 555-0100")},
		{"parens no space", "(415)555-0100", p("PHONE:(415)555-0100")},
		{"dots", "415.555.0100", p("PHONE:415.555.0100")},
		{"spaces", "415 555 0100", p("PHONE:415 555 0100")},
		{"leading one", "1-800-555-0199", p("PHONE:1-800-555-0199")},
		{"plus one", "+1 415 555 0100", p("PHONE:+1 415 555 0100")},
		{"plus one parens", "+1 (917) 555-0126", p("PHONE:+1 (917) 555-0126")},
		{"e164", "+14155550100", p("PHONE:+14155550100")},
		{"uk", "+44 20 7183 8750", p("PHONE:+44 20 7183 8750")},
		{"uk trunk", "+44 (0)20 7946 0958", p("PHONE:+44 (0)20 7946 0958")},
		{"france", "+33 1 42 68 53 00", p("PHONE:+33 1 42 68 53 00")},
		{"japan", "+81 3-1234-5678", p("PHONE:+81 3-1234-5678")},
		{"extension", "415-555-0100 ext. 22", p("PHONE:415-555-0100 ext. 22")},
		{"non-breaking hyphens", "866\u2011555\u20110119", p("PHONE:866\u2011555\u20110119")},
		{"bare with cue", "Phone: 2085550138", p("PHONE:2085550138")},
		{"uk national with cue", "ring us on 0113 496 0123", p("PHONE:0113 496 0123")},
		{"bare without cue", "ref 2085550138", nil},
		{"iso date", "2026-04-10", nil},
		{"us date", "04/10/2026", nil},
		{"price", "$1,234.56", nil},
		{"ip address", "192.168.100.254", nil},
		{"version", "version 10.4.2", nil},
		{"order number shaped like a phone", "Order #415-555-0100", nil},
		{"area code starting with 1", "115-555-0100", nil},
		{"wrong groups", "415-5550-100", nil},
		{"short code", "text 55512", nil},
	})
}

func TestDetectSSN(t *testing.T) {
	runDetectTable(t, []detectCase{
		{"dashes", "SSN 536-22-1847", p("SSN:536-22-1847")},
		{"dashes no cue", "it is 536-22-1847.", p("SSN:536-22-1847")},
		{"spaces", "412 67 3390", p("SSN:412 67 3390")},
		{"bare with cue", "my SSN is 412673391", p("SSN:412673391")},
		{"bare with social security", "social security number: 412673391", p("SSN:412673391")},
		{"bare without cue", "lot 412673391", nil},
		{"area 000", "000-12-3456", nil},
		{"area 666", "666-45-1234", nil},
		{"area 9xx", "912-34-5678", nil},
		{"group 00", "123-00-4567", nil},
		{"serial 0000", "123-45-0000", nil},
		{"ein shape", "EIN 84-1234567", nil},
	})
}

func TestDetectCard(t *testing.T) {
	runDetectTable(t, []detectCase{
		{"visa spaced", "card 4111 1111 1111 1111", p("CREDIT_DEBIT_NUMBER:4111 1111 1111 1111")},
		{"visa dashed", "4111-1111-1111-1111", p("CREDIT_DEBIT_NUMBER:4111-1111-1111-1111")},
		{"visa bare", "4111111111111111", p("CREDIT_DEBIT_NUMBER:4111111111111111")},
		{"mastercard", "5555 5555 5555 4444", p("CREDIT_DEBIT_NUMBER:5555 5555 5555 4444")},
		{"mastercard 2-series", "2223 0031 2200 3222", p("CREDIT_DEBIT_NUMBER:2223 0031 2200 3222")},
		{"amex", "3782 822463 10005", p("CREDIT_DEBIT_NUMBER:3782 822463 10005")},
		{"discover", "6011-1111-1111-1117", p("CREDIT_DEBIT_NUMBER:6011-1111-1111-1117")},
		{"diners", "3056 9309 0259 04", p("CREDIT_DEBIT_NUMBER:3056 9309 0259 04")},
		{"order failing luhn", "order 4111111111111112", nil},
		{"luhn fails", "4111 1111 1111 1112", nil},
		{"unknown issuer", "9400 1000 0000 0000 0000 00", nil},
		{"ups tracking", "1Z999AA10123456784", nil},
		{"order number passing luhn", "Order #4111111111111111", nil},
		{"last four", "Visa ending in 1111", nil},
	})
}

func TestDetectCVVAndExpiry(t *testing.T) {
	runDetectTable(t, []detectCase{
		{"cvv", "CVV: 123", p("CREDIT_DEBIT_CVV:123")},
		{"cvc four", "CID 4417", p("CREDIT_DEBIT_CVV:4417")},
		{"security code", "security code 837", p("CREDIT_DEBIT_CVV:837")},
		{"code after card", "card 3714 496353 98431, code 6042",
			p("CREDIT_DEBIT_NUMBER:3714 496353 98431", "CREDIT_DEBIT_CVV:6042")},
		{"three digits without cue", "room 123", nil},
		{"exp", "exp 08/27", p("CREDIT_DEBIT_EXPIRY:08/27")},
		{"expiration four digit year", "expiration 11/2028", p("CREDIT_DEBIT_EXPIRY:11/2028")},
		{"valid thru", "valid thru 02/28", p("CREDIT_DEBIT_EXPIRY:02/28")},
		{"after card", "5105 1051 0510 5100 08/29",
			p("CREDIT_DEBIT_NUMBER:5105 1051 0510 5100", "CREDIT_DEBIT_EXPIRY:08/29")},
		{"date without cue", "due 04/26", nil},
		{"bad month", "exp 13/27", nil},
		{"full date", "expires 04/10/2026", nil},
	})
}

func TestDetectBank(t *testing.T) {
	runDetectTable(t, []detectCase{
		{"routing", "Routing number: 021000021", p("BANK_ROUTING:021000021")},
		{"aba", "ABA 091000019", p("BANK_ROUTING:091000019")},
		{"routing checksum fails", "routing 021000022", nil},
		{"routing without cue", "lot 021000021", nil},
		{"account", "Account number: 000123456789", p("BANK_ACCOUNT_NUMBER:000123456789")},
		{"acct hash", "acct # 55501234", p("BANK_ACCOUNT_NUMBER:55501234")},
		{"a/c", "a/c no. 7788990011", p("BANK_ACCOUNT_NUMBER:7788990011")},
		{"routing next to account", "Acct 60011223344 / 026009593",
			p("BANK_ACCOUNT_NUMBER:60011223344", "BANK_ROUTING:026009593")},
		{"routing then account", "ABA 091000019, account 987654321012",
			p("BANK_ROUTING:091000019", "BANK_ACCOUNT_NUMBER:987654321012")},
		{"account too short", "account 12345", nil},
		{"account id is not a bank account", "employee ID is 448812", nil},
		{"card number is not an account", "account 4111111111111111", p("CREDIT_DEBIT_NUMBER:4111111111111111")},
		{"iban", "IBAN: GB82 WEST 1234 5698 7654 32", p("BANK_ACCOUNT_NUMBER:GB82 WEST 1234 5698 7654 32")},
		{"iban bad checksum", "GB82 WEST 1234 5698 7654 33", nil},
	})
}

func TestDetectPIN(t *testing.T) {
	runDetectTable(t, []detectCase{
		{"pin", "PIN 4821", p("PIN:4821")},
		{"pin colon", "your PIN is: 0934.", p("PIN:0934")},
		{"six digits", "Phone PIN | 271828", p("PIN:271828")},
		{"too long", "PIN 12345678", nil},
		{"no cue", "code 4821", nil},
		{"passcode", "meeting passcode 552193", nil},
	})
}

func TestDetectAddress(t *testing.T) {
	runDetectTable(t, []detectCase{
		{"full us", "I live at 1234 Main Street, Apt 5, Springfield, IL 62704.",
			p("ADDRESS:1234 Main Street, Apt 5, Springfield, IL 62704")},
		{"directional and abbreviation", "2100 W Lake St, Unit 4B, Chicago, IL 60612",
			p("ADDRESS:2100 W Lake St, Unit 4B, Chicago, IL 60612")},
		{"two lines", "500 Oak Avenue, Suite 210\nPortland, OR 97205",
			p("ADDRESS:500 Oak Avenue, Suite 210\nPortland, OR 97205")},
		{"zip plus four", "1600 Elm Court, Austin, TX 78701-1234", p("ADDRESS:1600 Elm Court, Austin, TX 78701-1234")},
		{"street only", "ship to 88 Harbor Blvd please", p("ADDRESS:88 Harbor Blvd")},
		{"ordinal street and hash unit", "450 W 33rd St #1204, New York, NY 10001",
			p("ADDRESS:450 W 33rd St #1204, New York, NY 10001")},
		{"uk", "Flat 3, 22 Baker Street, London NW1 6XE", p("ADDRESS:Flat 3, 22 Baker Street, London NW1 6XE")},
		{"uk road", "from 14 Kingsway Road, Leeds LS1 4AB on Tuesday", p("ADDRESS:14 Kingsway Road, Leeds LS1 4AB")},
		{"po box", "PO Box 4471, Boise, ID 83702", p("ADDRESS:PO Box 4471, Boise, ID 83702")},
		{"city state zip alone", "Springfield, IL 62704", p("ADDRESS:Springfield, IL 62704")},
		{"zip alone", "Delivery to ZIP 94107 by Q3.", nil},
		{"street name without number", "our Jackson Street store", nil},
		{"number then lower case", "40 pallets per month", nil},
		{"room number", "Room 415 is booked", nil},
	})
}

func TestDetectName(t *testing.T) {
	runDetectTable(t, []detectCase{
		{"dear full name", "Dear Jane Doe,\nthanks.", p("NAME:Jane Doe")},
		{"hi first name", "Hi Maria,\nyour order shipped.", p("NAME:Maria")},
		{"hi unknown name", "Hi Oluwaseun,\nthanks.", p("NAME:Oluwaseun")},
		{"greeting with title", "Good morning Ms. Alvarez,", p("NAME:Alvarez")},
		{"two names", "Hi Maria and Tom,", p("NAME:Maria", "NAME:Tom")},
		{"sign-off next line", "Thanks,\nJohn Smith", p("NAME:John Smith")},
		{"sign-off blank line", "Kind regards,\n\nSiobhan Murphy\nAcme Ltd", p("NAME:Siobhan Murphy")},
		{"sign-off same line", "Regards, Priya Patel", p("NAME:Priya Patel")},
		{"sign-off lower case", "thx\nkevin", p("NAME:kevin")},
		{"signature delimiter", "--\nEmily Johnson\nOperations", p("NAME:Emily Johnson")},
		{"title", "Mr. Haddad will call.", p("NAME:Haddad")},
		{"my name is", "My name is Oluwaseun Adeyemi and I", p("NAME:Oluwaseun Adeyemi")},
		{"this is", "This is Chloé Dubois. I", p("NAME:Chloé Dubois")},
		{"from header", "From: Aiko Tanaka <aiko@example.org>", p("NAME:Aiko Tanaka", "EMAIL:aiko@example.org")},
		{"quoted display name", "\"Sophie Laurent\" <sophie@example.fr>", p("NAME:Sophie Laurent", "EMAIL:sophie@example.fr")},
		{"wrote", "On Tue, Jane wrote:", p("NAME:Jane")},
		{"form label", "Cardholder: Daniel Kowalski", p("NAME:Daniel Kowalski")},
		{"first-name list", "Attendees were Sarah Thompson and Kenji Watanabe.", p("NAME:Sarah Thompson", "NAME:Kenji Watanabe")},
		{"initials and particles", "holders are John Q. Public and Mary-Kate van der Berg.",
			p("NAME:John Q. Public", "NAME:Mary-Kate van der Berg")},
		{"propagation", "Hi Tomasz,\nsee below.\nTomasz asked about it.", p("NAME:Tomasz", "NAME:Tomasz")},
		{"generic greeting", "Dear Valued Customer,", nil},
		{"team sign-off", "Thanks,\nThe Acme Team", nil},
		{"department sign-off", "Regards,\nCard Services", nil},
		{"company", "Morgan Stanley and Johnson Controls replied.", nil},
		{"days and months", "Closed Sunday. From May through August we open late.", nil},
		{"street name", "Our Jackson Street and Lincoln Avenue stores.", nil},
		{"ambiguous name alone", "Grace period ends soon.", nil},
		{"product", "My Galaxy Tab and Kindle Paperwhite.", nil},
		{"name in email address", "jane.doe@example.com", p("EMAIL:jane.doe@example.com")},
	})
}

func TestDetectLookalikes(t *testing.T) {
	texts := []string{
		"Your order #123456789 placed on 2026-04-10 has shipped. Tracking number: 1Z999AA10123456784.",
		"The total charged was $1,234.56 (including $84.20 tax). Invoice INV-2026-004417 is attached.",
		"Estimated delivery: 04/14/2026 between 9:00 AM and 5:00 PM.",
		"Reference: 9400 1000 0000 0000 0000 00 (USPS). My last order was #5555555555554445.",
		"The app version is 4.12.3 and I'm on build 2026.03.17. Our office router is 192.168.10.254.",
		"Budget for 2027 is capped at 200,000 USD. Delivery to ZIP 94107 by Q3.",
		"Meeting ID 812 3345 9910, passcode 552193, room 415, 12.5% growth.",
		"MAC 00:1A:2B:3C:4D:5E, IPv6 fe80::1ff:fe23:4567:890a, error 0x80070005.",
		"Invoice | 4000 0566 5566 5557",
	}
	for _, text := range texts {
		if got := Detect(text); len(got) > 0 {
			t.Errorf("Detect(%q) = %v, want nothing", text, pairs(got))
		}
	}
}

func TestDetectNonOverlappingSorted(t *testing.T) {
	text := "Jane Doe <jane@example.com>, card 4111 1111 1111 1111 exp 08/27, 1234 Main Street, Springfield, IL 62704, call 415-555-0100."
	ents := Detect(text)
	if len(ents) == 0 {
		t.Fatal("nothing detected")
	}
	for i := 1; i < len(ents); i++ {
		if ents[i].Start < ents[i-1].End {
			t.Errorf("%v overlaps or precedes %v", ents[i], ents[i-1])
		}
	}
}

// TestDetectParallelMatchesSerial checks that a text large enough to be
// scanned in parts gives what one scan gives.
func TestDetectParallelMatchesSerial(t *testing.T) {
	var sb strings.Builder
	for i := 0; sb.Len() < 3*parallelMin; i++ {
		fmt.Fprintf(&sb, "Hi Maria,\n\nCard 4111 1111 1111 1111 exp 08/27, routing 021000021, account %d.\n"+
			"Call (415) 555-01%02d or write to user%d@example.com.\n\nThanks,\nJohn Smith\n1234 Main Street\nSpringfield, IL 62704\n\n",
			10000000+i, i%100, i)
	}
	text := sb.String()
	d := newDetector(text, asciiLower(text))
	d.scan()
	serial := d.propagate(resolve(text, d.cands))
	for _, n := range []int{2, 3, 4} {
		if got := detectParallel(text, asciiLower(text), n); !slices.Equal(got, serial) {
			t.Errorf("%d parts: %d entities, serial %d", n, len(got), len(serial))
		}
	}
}
