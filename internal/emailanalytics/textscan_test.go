package emailanalytics

import (
	"strings"
	"testing"
)

func TestASCIILower(t *testing.T) {
	tests := []string{
		"",
		"ABCDEFG",
		"AZaz@[`{ 0123456789",
		"Hello WORLD, Straße ÀÉÎ Ünïcödé stays",
		strings.Repeat("MiXeD cAsE 8-byte BLOCKS ", 400), // crosses the 4 KiB chunks
	}
	for _, s := range tests {
		want := strings.Map(func(r rune) rune {
			if r >= 'A' && r <= 'Z' {
				return r + 'a' - 'A'
			}
			return r
		}, s)
		if got := asciiLower(s); got != want {
			t.Errorf("asciiLower(%.40q) = %.40q, want %.40q", s, got, want)
		}
	}
}
