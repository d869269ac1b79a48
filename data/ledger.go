package data

import (
	"math"
	"slices"
	"time"
)

// ChangeCredit is a change to a child's credit ledger: earned, reserved,
// spent, given back or granted. Date and GroupID name the day and group
// whose event caused it.
const ChangeCredit ChangeKind = "credit"

// Ledger is a child's credit as the child's card shows it.
type Ledger struct {
	// Entries are the credit not yet expired, soonest to expire first (R4).
	Entries []CreditEntry
	// Balances are per pot: KDV days, BSO school days, BSO holiday days, and each flexible product.
	Balances []Balance
}

// Balance is what one pot of credit still holds.
type Balance struct {
	Pot       string
	Available int // minutes free to pay a request
	Reserved  int // minutes held by requests awaiting approval (R7)
}

// MaxDate is later than any contract's end: childContracts from Date{} to
// MaxDate reads every contract a child ever had.
var MaxDate = NewDate(9999, time.December, 31)

// AddYears moves n years forward; 29 February lands on 1 March in other years.
func (d Date) AddYears(n int) Date { return DateOf(d.Midnight().AddDate(n, 0, 0)) }

// LedgerOf is the ledger of a child's entries (soonest to expire first):
// the entries and, per pot, what they hold, absence credit before flexible
// credit as R3 uses them.
func LedgerOf(entries []CreditEntry) Ledger {
	l := Ledger{Entries: entries}
	if len(entries) == 0 {
		l.Entries = nil // no credit: no entries, not an empty list
	}
	pots := map[string]int{} // index in l.Balances
	for _, e := range entries {
		i, ok := pots[e.Pot()]
		if !ok {
			i = len(l.Balances)
			pots[e.Pot()] = i
			l.Balances = append(l.Balances, Balance{Pot: e.Pot()})
		}
		l.Balances[i].Available += e.Available()
		l.Balances[i].Reserved += e.Reserved
	}
	slices.SortFunc(l.Balances, func(a, b Balance) int { return potOrder(a.Pot) - potOrder(b.Pot) })
	return l
}

// potOrder lists absence credit before flexible credit, as R3 uses them.
func potOrder(pot string) int {
	order := []string{string(OriginKDVDay), string(OriginBSOSchoolDay), string(OriginBSOHolidayDay), string(ProductQflexibel), string(ProductBSOHoliday)}
	if i := slices.Index(order, pot); i >= 0 {
		return i
	}
	return len(order)
}

// ContractGrant is the flexible credit one contract year gives.
type ContractGrant struct {
	Period int // the contract year, counted from anchor
	Entry  CreditEntry
}

// ContractGrants lists the flexible credit contract c of the child gives
// for contract years that have started by the furthest day a request can be
// for (today + Settings.ParentRequestFromDays) and not ended before today,
// and that granted does not report as granted yet. A contract gives its
// credit per contract year, counted from anchor (the start of its first
// version): Qflexibel its CreditHours, a holiday contract its CreditDays,
// each day counted as the length of Settings.HolidayDay.
func ContractGrants(c Contract, anchor, today Date, s Settings, granted func(period int) bool) []ContractGrant {
	if c.CreditHours <= 0 && c.CreditDays <= 0 {
		return nil
	}
	horizon := today.AddDays(s.ParentRequestFromDays)
	var due []ContractGrant
	for n := max(0, today.Year-anchor.Year-1); ; n++ {
		from, to := anchor.AddYears(n), anchor.AddYears(n+1).AddDays(-1)
		if from.After(horizon) || (!c.End.IsZero() && from.After(c.End)) {
			break
		}
		if to.Before(c.Start) {
			continue // a year of an earlier version
		}
		if from.Before(c.Start) {
			from = c.Start
		}
		if !c.End.IsZero() && to.After(c.End) {
			to = c.End
		}
		if to.Before(today) || granted(n) {
			continue
		}
		minutes := int(math.Round(c.CreditHours * 60))
		if c.Product == ProductBSOHoliday {
			minutes = c.CreditDays * int(s.HolidayDay.Until-s.HolidayDay.From)
		}
		if minutes <= 0 {
			continue
		}
		due = append(due, ContractGrant{Period: n, Entry: CreditEntry{
			ChildID: c.ChildID, GroupID: c.GroupID, Origin: OriginContract, Product: c.Product, ContractID: c.ID,
			Minutes: minutes, EarnedOn: from, ValidFrom: from, ExpiresOn: to,
		}})
	}
	return due
}

// AbsenceCreditBalance is what the absence credit among entries still
// holds: the balance EarnCredit caps (T1); flexible credit does not count.
func AbsenceCreditBalance(entries []CreditEntry) int {
	balance := 0
	for _, e := range entries {
		if !e.Flexible() {
			balance += e.Available()
		}
	}
	return balance
}
