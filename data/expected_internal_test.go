package data

import (
	"bytes"
	"testing"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// TestNameKey_A1_OrdersAsTheCollator: sorting by remembered collation keys
// puts every pair of names in the order the Dutch collator compares them.
func TestNameKey_A1_OrdersAsTheCollator(t *testing.T) {
	names := []string{"Zoë", "Zoe", "zoë", "Daniël", "Daniel", "Łukasz", "Lukas", "Lars", "Ayşe", "Ayse", "Noë", "Noah",
		"Émile", "Emile", "Eva", "Åberg", "Aberg", "Anna", "de Vries", "De Vries", "van den Berg", "Van Dijk", "Dvořák",
		"Dvorak", "Yılmaz", "Öztürk", "Ozturk", "Şahin", "Sahin", "Nguyễn", "Çelik", "Celik", "Ŝtefan", "IJsbrand", "Ida", ""}
	c := collate.New(language.Dutch, collate.IgnoreCase, collate.IgnoreDiacritics)
	sign := func(n int) int { return min(max(n, -1), 1) }
	for _, a := range names {
		for _, b := range names {
			if got, want := sign(bytes.Compare(nameKey(a), nameKey(b))), sign(c.CompareString(a, b)); got != want {
				t.Errorf("%q vs %q: keys compare %d, the collator %d", a, b, got, want)
			}
		}
	}
}
