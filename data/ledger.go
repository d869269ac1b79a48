package data

import (
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
