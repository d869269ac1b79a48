package data

import (
	"bytes"
	"slices"
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

// TestSortByName_A1_DutchOrderKeepsEqualNamesInPlace: by first name, then
// last name, in Dutch order; children with the same name keep their order.
func TestSortByName_A1_DutchOrderKeepsEqualNamesInPlace(t *testing.T) {
	type row struct {
		child Child
		seat  int
	}
	rows := []row{
		{Child{FirstName: "Zoë", LastName: "Bakker"}, 1},
		{Child{FirstName: "Lars", LastName: "de Vries"}, 2},
		{Child{FirstName: "Łukasz", LastName: "Nowak"}, 3},
		{Child{FirstName: "Lars", LastName: "Appel"}, 4},
		{Child{FirstName: "Émile", LastName: "Roux"}, 5},
		{Child{FirstName: "Lars", LastName: "de Vries"}, 6},
		{Child{FirstName: "anna", LastName: "Zijl"}, 7},
	}
	SortByName(rows, func(r row) Child { return r.child })
	var seats []int
	for _, r := range rows {
		seats = append(seats, r.seat)
	}
	// anna, Émile, Lars Appel, Lars de Vries (2 before 6), Łukasz, Zoë
	if want := []int{7, 5, 4, 2, 6, 3, 1}; !slices.Equal(seats, want) {
		t.Errorf("order %v, want %v", seats, want)
	}
}
