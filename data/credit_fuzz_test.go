package data_test

import (
	"cmp"
	"testing"
	"time"

	"locatiedesk/data"
)

// fuzzEntries turns bytes into a ledger: 5 bytes an entry, of every origin
// and product, some expired, reserved, withdrawn or not yet valid.
func fuzzEntries(raw []byte, day data.Date) []data.CreditEntry {
	origins := []data.CreditOrigin{data.OriginKDVDay, data.OriginBSOSchoolDay, data.OriginBSOHolidayDay, data.OriginContract, data.OriginContract}
	contracts := []data.Product{data.ProductKDV, data.ProductBSOSchoolWeeks, data.ProductBSO52Weeks}
	var out []data.CreditEntry
	for i := 0; i+5 <= len(raw) && len(out) < 40; i += 5 {
		b := raw[i : i+5]
		e := data.CreditEntry{
			ID:       data.ID(len(out) + 1),
			Origin:   origins[int(b[0])%len(origins)],
			Minutes:  1 + int(b[1])*5,
			EarnedOn: day.AddDays(-int(b[2] % 60)),
		}
		e.ExpiresOn = e.EarnedOn.AddDays(int(b[3] % 90))
		switch {
		case e.Origin != data.OriginContract:
			e.ContractProduct = contracts[int(b[0]/8)%len(contracts)]
		case b[0]%2 == 0:
			e.Product, e.ValidFrom = data.ProductQflexibel, e.EarnedOn.AddDays(int(b[4]%3))
		default:
			e.Product, e.ValidFrom = data.ProductBSOHoliday, e.EarnedOn.AddDays(int(b[4]%3))
		}
		if b[4]%5 == 1 {
			e.Reserved = min(e.Minutes, int(b[4]))
		}
		e.Withdrawn = b[4]%11 == 3
		out = append(out, e)
	}
	return out
}

// usable is the test's own reading of R5, T2 and T3: may e pay for r at all?
func usable(r data.RequestSpec, e data.CreditEntry) bool {
	care := data.KDV
	if r.Product != data.ProductKDV && r.Product != data.ProductQflexibel {
		care = data.BSO
	}
	switch {
	case e.Available() <= 0, e.ExpiresOn.Before(r.Date), !e.ValidFrom.IsZero() && r.Date.Before(e.ValidFrom):
		return false
	case e.Flexible():
		return e.Product == r.Product
	case (e.Origin == data.OriginKDVDay) != (care == data.KDV):
		return false
	}
	// School days and days without school (holidays, study days) have their own pots, whatever the contract.
	noSchool := r.Product == data.ProductBSOHoliday || r.Product == data.ProductStudyDay
	return !(noSchool && e.Origin == data.OriginBSOSchoolDay || r.Product == data.ProductBSOSchoolDay && e.Origin == data.OriginBSOHolidayDay)
}

// FuzzPropose checks the payment proposal's promises on any ledger:
// allocated plus invoiced minutes equal the request; expired, withdrawn,
// other-product or otherwise blocked credit is never used; no entry pays
// more than it holds; within absence credit and within flexible credit no
// newer entry is used while an older one has minutes left (R4); the class
// used second (flexible, or absence credit on a holiday day) is touched only
// when the first is used up (R3, V1); and nothing is invoiced while usable
// credit is left.
func FuzzPropose(f *testing.F) {
	f.Add([]byte{0, 20, 3, 40, 0, 0, 10, 9, 20, 0}, uint16(180), uint8(0), uint8(10))
	f.Add([]byte{3, 50, 1, 80, 2, 1, 30, 5, 30, 1, 2, 10, 5, 40, 0}, uint16(660), uint8(3), uint8(0))
	f.Add([]byte{4, 100, 0, 89, 0, 1, 12, 2, 20, 11, 9, 12, 2, 20, 6}, uint16(210), uint8(2), uint8(30))
	products := []data.Product{data.ProductKDV, data.ProductQflexibel, data.ProductBSOSchoolDay, data.ProductBSOHoliday, data.ProductStudyDay}
	f.Fuzz(func(t *testing.T, raw []byte, minutes uint16, product, ahead uint8) {
		today := data.NewDate(2026, time.March, 10)
		r := data.RequestSpec{Date: today.AddDays(int(ahead % 40)), Minutes: 1 + int(minutes%1440), Product: products[int(product)%len(products)]}
		entries := fuzzEntries(raw, today)
		p := data.Propose(r, entries)

		if p.CreditMinutes()+p.InvoiceMinutes != r.Minutes || p.InvoiceMinutes < 0 {
			t.Fatalf("credit %d + invoice %d != request %d", p.CreditMinutes(), p.InvoiceMinutes, r.Minutes)
		}
		if want := data.InvoiceProduct(r.Product); p.InvoiceProduct != want {
			t.Fatalf("invoice product %s, want %s", p.InvoiceProduct, want)
		}
		byID := map[data.ID]data.CreditEntry{}
		for _, e := range entries {
			byID[e.ID] = e
		}
		used := map[data.ID]int{}
		for _, a := range p.Allocations {
			e, ok := byID[a.EntryID]
			switch {
			case !ok:
				t.Fatalf("allocation from unknown entry %d", a.EntryID)
			case a.Minutes <= 0:
				t.Fatalf("allocation of %d minutes", a.Minutes)
			case !usable(r, e):
				t.Fatalf("entry %+v may not pay for %+v", e, r)
			case a.ExpiresOn != e.ExpiresOn || a.Product != e.Product:
				t.Fatalf("allocation %+v does not name entry %+v", a, e)
			}
			used[a.EntryID] += a.Minutes
			if used[a.EntryID] > e.Available() {
				t.Fatalf("entry %d pays %d of its %d", e.ID, used[a.EntryID], e.Available())
			}
		}
		left := func(e data.CreditEntry) int { return e.Available() - used[e.ID] }
		older := func(a, b data.CreditEntry) int {
			return cmp.Or(a.ExpiresOn.Compare(b.ExpiresOn), a.EarnedOn.Compare(b.EarnedOn), cmp.Compare(a.ID, b.ID))
		}
		firstFlexible := r.Product == data.ProductBSOHoliday
		for _, x := range entries {
			if !usable(r, x) || left(x) == 0 {
				continue
			}
			if p.InvoiceMinutes > 0 {
				t.Fatalf("%d minutes invoiced while entry %d has %d left", p.InvoiceMinutes, x.ID, left(x))
			}
			for _, y := range entries {
				if used[y.ID] == 0 {
					continue
				}
				sameClass := x.Flexible() == y.Flexible()
				if sameClass && older(x, y) < 0 {
					t.Fatalf("newer entry %d used while older %d has %d left", y.ID, x.ID, left(x))
				}
				if !sameClass && x.Flexible() == firstFlexible {
					t.Fatalf("entry %d of the second class used while %d of the first has %d left", y.ID, x.ID, left(x))
				}
			}
		}
	})
}
