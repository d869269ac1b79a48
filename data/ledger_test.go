package data_test

import (
	"testing"
	"time"

	"locatiedesk/data"
)

func TestLedgerOf_R3_AbsenceCreditBeforeFlexibleCredit(t *testing.T) {
	l := data.LedgerOf([]data.CreditEntry{
		{ID: 1, Product: data.ProductQflexibel, Minutes: 600, Reserved: 60},
		{ID: 2, Origin: data.OriginBSOSchoolDay, Minutes: 120, Spent: 20},
		{ID: 3, Origin: data.OriginKDVDay, Minutes: 300, Withdrawn: true},
		{ID: 4, Origin: data.OriginBSOSchoolDay, Minutes: 90},
	})
	want := []data.Balance{
		{Pot: string(data.OriginKDVDay)},
		{Pot: string(data.OriginBSOSchoolDay), Available: 190},
		{Pot: string(data.ProductQflexibel), Available: 540, Reserved: 60},
	}
	if len(l.Entries) != 4 || len(l.Balances) != len(want) {
		t.Fatalf("ledger %+v, want 4 entries in %d pots", l, len(want))
	}
	for i := range want {
		if l.Balances[i] != want[i] {
			t.Errorf("balance %d: %+v, want %+v", i, l.Balances[i], want[i])
		}
	}
	if got := data.AbsenceCreditBalance(l.Entries); got != 190 {
		t.Errorf("absence credit balance %d, want 190 (flexible and withdrawn credit do not count)", got)
	}
	if empty := data.LedgerOf([]data.CreditEntry{}); empty.Entries != nil || empty.Balances != nil {
		t.Errorf("no credit: %+v, want no entries and no balances", empty)
	}
}

func TestContractGrants_R5_OneGrantPerContractYear(t *testing.T) {
	s := data.Settings{ParentRequestFromDays: 60, HolidayDay: data.TimeRange{From: 8 * 60, Until: 18 * 60}}
	start := data.NewDate(2025, time.February, 1)
	flex := data.Contract{ID: 9, ChildID: 4, GroupID: 2, Product: data.ProductQflexibel, Start: start, CreditHours: 10.5}
	today := data.NewDate(2026, time.January, 10) // the second year starts within the horizon
	none := func(int) bool { return false }

	got := data.ContractGrants(flex, start, today, s, none)
	if len(got) != 2 || got[0].Period != 0 || got[1].Period != 1 {
		t.Fatalf("grants %+v, want the running year and the next one", got)
	}
	e := got[1].Entry
	if e.Minutes != 630 || e.ValidFrom != data.NewDate(2026, time.February, 1) || e.ExpiresOn != data.NewDate(2027, time.January, 31) ||
		e.ChildID != 4 || e.ContractID != 9 || e.Origin != data.OriginContract || e.Product != data.ProductQflexibel {
		t.Errorf("second year's entry %+v", e)
	}
	if again := data.ContractGrants(flex, start, today, s, func(n int) bool { return n == 0 }); len(again) != 1 || again[0].Period != 1 {
		t.Errorf("with year 0 granted: %+v, want year 1 only", again)
	}

	// A later version counts its years from the first version's start and
	// is cut to its own dates; a holiday contract gives days of HolidayDay.
	later := data.Contract{ID: 10, ChildID: 4, Product: data.ProductBSOHoliday, Start: data.NewDate(2025, time.June, 1),
		End: data.NewDate(2025, time.December, 31), CreditDays: 3}
	got = data.ContractGrants(later, start, data.NewDate(2025, time.June, 1), s, none)
	if len(got) != 1 || got[0].Entry.Minutes != 1800 || got[0].Entry.ValidFrom != later.Start || got[0].Entry.ExpiresOn != later.End {
		t.Errorf("later version: %+v, want one year from its start to its end of 3 days × 10 h", got)
	}
	if got := data.ContractGrants(data.Contract{Product: data.ProductKDV, Start: start}, start, today, s, none); got != nil {
		t.Errorf("a contract without credit gives %+v", got)
	}
}
