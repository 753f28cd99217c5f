package emailanalytics

import "testing"

func TestLuhn(t *testing.T) {
	tests := []struct {
		digits string
		want   bool
	}{
		{"4111111111111111", true},
		{"4111111111111112", false},
		{"5555555555554444", true},
		{"378282246310005", true},
		{"6011111111111117", true},
		{"30569309025904", true},
		{"79927398713", true},
		{"79927398710", false},
		{"0", false},
		{"41111111111111x1", false},
	}
	for _, tt := range tests {
		if got := luhnValid(tt.digits); got != tt.want {
			t.Errorf("luhnValid(%q) = %v, want %v", tt.digits, got, tt.want)
		}
	}
}

func TestABA(t *testing.T) {
	tests := []struct {
		digits string
		want   bool
	}{
		{"011000015", true},
		{"021000021", true},
		{"091000019", true},
		{"122105155", true},
		{"123456789", false},
		{"021000022", false},
		{"000000000", false},
		{"02100002", false},
	}
	for _, tt := range tests {
		if got := abaValid(tt.digits); got != tt.want {
			t.Errorf("abaValid(%q) = %v, want %v", tt.digits, got, tt.want)
		}
	}
}

func TestIBAN(t *testing.T) {
	tests := []struct {
		iban string
		want bool
	}{
		{"GB82WEST12345698765432", true},
		{"DE89370400440532013000", true},
		{"GB82WEST12345698765433", false},
		{"GB82", false},
	}
	for _, tt := range tests {
		if got := ibanValid(tt.iban); got != tt.want {
			t.Errorf("ibanValid(%q) = %v, want %v", tt.iban, got, tt.want)
		}
	}
}

func TestSSNValid(t *testing.T) {
	tests := []struct {
		area, group, serial string
		want                bool
	}{
		{"536", "22", "1847", true},
		{"000", "12", "3456", false},
		{"666", "45", "1234", false},
		{"912", "34", "5678", false},
		{"123", "00", "4567", false},
		{"123", "45", "0000", false},
	}
	for _, tt := range tests {
		if got := ssnValid(tt.area, tt.group, tt.serial); got != tt.want {
			t.Errorf("ssnValid(%s-%s-%s) = %v, want %v", tt.area, tt.group, tt.serial, got, tt.want)
		}
	}
}

func TestCardIssuerKnown(t *testing.T) {
	tests := []struct {
		digits string
		want   bool
	}{
		{"4111111111111111", true},  // Visa 16
		{"4222222222222", true},     // Visa 13
		{"5105105105105100", true},  // Mastercard 51-55
		{"2223003122003222", true},  // Mastercard 2-series
		{"378282246310005", true},   // Amex
		{"37828224631000", false},   // Amex with 14 digits
		{"6011111111111117", true},  // Discover
		{"3530111333300000", true},  // JCB
		{"30569309025904", true},    // Diners
		{"6200000000000005", true},  // UnionPay
		{"9400100000000000", false}, // USPS tracking prefix
		{"1234567890123456", false},
	}
	for _, tt := range tests {
		if got := cardIssuerKnown(tt.digits); got != tt.want {
			t.Errorf("cardIssuerKnown(%q) = %v, want %v", tt.digits, got, tt.want)
		}
	}
}
