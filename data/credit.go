package data

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Credit is counted in whole minutes, never in float hours, so sums over
// many entries stay exact. A BSO holiday-contract day is counted as the
// length of the organisation's holiday day (Settings.HolidayDay) at the
// moment the credit is granted: 10 days of 07:30–18:30 are 6600 minutes,
// and a holiday-day request of 07:30–18:30 uses 660 of them.

// CreditOrigin says how a credit entry was earned, which decides what it may pay for (T1, T2).
type CreditOrigin string

// The origins of credit. Absence credit is kept in separate pots per care
// type and, for BSO, school days apart from holiday days (T1).
const (
	OriginKDVDay        CreditOrigin = "kdv-day"         // absence on a KDV contract day
	OriginBSOSchoolDay  CreditOrigin = "bso-school-day"  // absence on a BSO school day
	OriginBSOHolidayDay CreditOrigin = "bso-holiday-day" // absence on a BSO day in the school holidays
	OriginContract      CreditOrigin = "contract"        // flexible credit of a Qflexibel or holiday contract
)

// Request products beyond the contract products: what extra care is asked for.
const (
	// ProductBSOSchoolDay is extra BSO care on a school day.
	ProductBSOSchoolDay Product = "bso-schooldag"
	// ProductExtraHolidayDay is the invoice product of a BSO holiday day paid on invoice (V3).
	ProductExtraHolidayDay Product = "extra-vakantiedag-bso"
)

// CreditEntry is one line of a child's credit ledger.
type CreditEntry struct {
	ID      ID           `json:"id"`
	ChildID ID           `json:"childId"`
	Origin  CreditOrigin `json:"origin"`
	// Product is set for flexible credit only: the one product it pays for (R5).
	Product Product `json:"product,omitempty"`
	// ContractID is the contract that gave flexible credit, or whose day was missed.
	ContractID ID `json:"contractId,omitempty"`
	// ContractProduct is, for absence credit, the product of the contract whose day was
	// missed: school-day credit of a school-weeks contract cannot pay for a holiday day (T2).
	ContractProduct Product `json:"contractProduct,omitempty"`
	GroupID         ID      `json:"groupId,omitempty"`
	// Minutes earned; Reserved by open requests and Spent by approved ones (R7).
	Minutes  int `json:"minutes"`
	Reserved int `json:"reserved,omitempty"`
	Spent    int `json:"spent,omitempty"`
	// Withdrawn is set when the absence that earned the credit was taken back:
	// it pays nothing more, also not what a rejected request gives back.
	Withdrawn bool `json:"withdrawn,omitempty"`
	// EarnedOn is the day of the absence, or the first day of a flexible credit's period.
	EarnedOn Date `json:"earnedOn"`
	// ValidFrom is the first day flexible credit may pay for (its contract period); zero for absence credit.
	ValidFrom Date `json:"validFrom,omitzero"`
	// ExpiresOn is the last day the credit may pay for.
	ExpiresOn Date `json:"expiresOn"`
}

// Available is what the entry can still pay.
func (e CreditEntry) Available() int {
	if e.Withdrawn {
		return 0
	}
	return e.Minutes - e.Reserved - e.Spent
}

// Flexible reports whether the entry is flexible credit bound to a product (R5).
func (e CreditEntry) Flexible() bool { return e.Product != "" }

// Care is the care type whose days the credit pays for.
func (e CreditEntry) Care() CareType {
	if e.Flexible() {
		return CareOf(e.Product)
	}
	if e.Origin == OriginKDVDay {
		return KDV
	}
	return BSO
}

// Pot names the balance the entry counts in on the child's card.
func (e CreditEntry) Pot() string {
	if e.Flexible() {
		return string(e.Product)
	}
	return string(e.Origin)
}

// older orders entries oldest first: first to expire first (R4), then by
// the day they were earned and their ID, so the order is total.
func older(a, b CreditEntry) int {
	if c := a.ExpiresOn.Compare(b.ExpiresOn); c != 0 {
		return c
	}
	if c := a.EarnedOn.Compare(b.EarnedOn); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// BlockReason says why existing credit cannot pay for a request (T3).
type BlockReason string

// The reasons credit cannot pay.
const (
	BlockOtherCare           BlockReason = "other-care-type"    // KDV credit for BSO care, or the reverse
	BlockOtherProduct        BlockReason = "other-product"      // flexible credit for another product (R5)
	BlockSchoolDayCredit     BlockReason = "school-day-credit"  // school-day credit for a day without school (T2)
	BlockHolidayDayCredit    BlockReason = "holiday-day-credit" // holiday-day credit for a school day (T2)
	BlockOutsideWindow       BlockReason = "outside-window"     // the day is before the credit's period starts
	BlockExpiresBeforeTheDay BlockReason = "expires-before-day" // the credit expires before the day
)

// RequestSpec is what the payment of a request depends on.
type RequestSpec struct {
	Date    Date
	Minutes int
	// Product is the care asked for: ProductKDV, ProductQflexibel,
	// ProductBSOSchoolDay, ProductBSOHoliday (a holiday day) or
	// ProductStudyDay (a school's study day).
	Product Product
}

// HolidayDay reports whether the request is for a BSO holiday day.
func (r RequestSpec) HolidayDay() bool { return r.Product == ProductBSOHoliday }

// NoSchool reports whether the request is for BSO care on a day without
// school: a holiday day or a school's study day, both whole days of care.
func (r RequestSpec) NoSchool() bool { return r.HolidayDay() || r.Product == ProductStudyDay }

// InvoiceProduct is what the invoiced part of a request is billed as: a
// holiday day without holiday credit is an "extra vakantiedag bso" (V3).
func InvoiceProduct(p Product) Product {
	if p == ProductBSOHoliday {
		return ProductExtraHolidayDay
	}
	return p
}

// Blocked is credit that exists but cannot pay for the request, with the rule that blocks it.
type Blocked struct {
	Entry  CreditEntry
	Reason BlockReason
}

// Allocation is part of a request paid from one credit entry.
type Allocation struct {
	EntryID   ID           `json:"entryId"`
	ExpiresOn Date         `json:"expiresOn"` // with EntryID, the entry's key in the ledger
	Origin    CreditOrigin `json:"origin"`
	Product   Product      `json:"product,omitempty"`
	Minutes   int          `json:"minutes"`
}

// Payment says how a request is paid (R2): from credit entries, the rest on invoice.
type Payment struct {
	Allocations    []Allocation `json:"allocations,omitempty"`
	InvoiceMinutes int          `json:"invoiceMinutes,omitempty"`
	InvoiceProduct Product      `json:"invoiceProduct,omitempty"`
	// OverrideReason is why the request is invoiced although credit could pay (R3).
	OverrideReason string `json:"overrideReason,omitempty"`
}

// CreditMinutes is the part paid from credit.
func (p Payment) CreditMinutes() int {
	total := 0
	for _, a := range p.Allocations {
		total += a.Minutes
	}
	return total
}

// Equal reports whether two payments take the same minutes from the same
// entries and invoice the same.
func (p Payment) Equal(o Payment) bool {
	return p.InvoiceMinutes == o.InvoiceMinutes && p.InvoiceProduct == o.InvoiceProduct &&
		p.OverrideReason == o.OverrideReason && slices.Equal(p.Allocations, o.Allocations)
}

// Proposal is the payment the rules propose, with the credit that exists but cannot pay.
type Proposal struct {
	Payment
	Blocked []Blocked
}

// InvoiceAnyway is the payment that puts the whole request on invoice, with
// the reason the user gives for not using the proposed credit (R3).
func (p Proposal) InvoiceAnyway(minutes int, reason string) Payment {
	return Payment{InvoiceMinutes: minutes, InvoiceProduct: p.InvoiceProduct, OverrideReason: reason}
}

// BlockOf returns why entry e cannot pay for r, or "" when it can.
func BlockOf(r RequestSpec, e CreditEntry) BlockReason {
	switch {
	case e.Flexible() && e.Product != r.Product:
		return BlockOtherProduct
	case e.Care() != CareOf(r.Product):
		return BlockOtherCare
	case r.NoSchool() && e.Origin == OriginBSOSchoolDay:
		return BlockSchoolDayCredit
	case r.Product == ProductBSOSchoolDay && e.Origin == OriginBSOHolidayDay:
		return BlockHolidayDayCredit
	case !e.ValidFrom.IsZero() && r.Date.Before(e.ValidFrom):
		return BlockOutsideWindow
	case e.ExpiresOn.Before(r.Date):
		return BlockExpiresBeforeTheDay
	}
	return ""
}

// Propose is the payment rules R2–R5, T2, V1 and V3 as one pure function:
//   - absence credit first (R3), oldest (first to expire) first across
//     entries (R4), from the pot of the day's kind only: school-day credit
//     for school days, holiday-day credit for days without school (a holiday
//     day or a study day), whatever the BSO contract (T1, T2);
//   - then flexible credit, only of the request's own product (R5);
//   - except that a BSO holiday day is paid from holiday-contract credit
//     first, then from absence credit (V1, V3);
//   - whatever credit cannot cover goes on invoice, a holiday day as the
//     product "extra vakantiedag bso" (V3).
//
// Credit that exists but cannot pay is returned in Blocked with its rule (T3).
func Propose(r RequestSpec, entries []CreditEntry) Proposal {
	var absence, flexible []CreditEntry
	var p Proposal
	for _, e := range entries {
		if e.Available() <= 0 {
			continue
		}
		if reason := BlockOf(r, e); reason != "" {
			p.Blocked = append(p.Blocked, Blocked{Entry: e, Reason: reason})
			continue
		}
		if e.Flexible() {
			flexible = append(flexible, e)
		} else {
			absence = append(absence, e)
		}
	}
	slices.SortFunc(absence, older)
	slices.SortFunc(flexible, older)
	slices.SortFunc(p.Blocked, func(a, b Blocked) int { return older(a.Entry, b.Entry) })
	first, then := absence, flexible
	if r.HolidayDay() {
		first, then = flexible, absence
	}
	left := max(r.Minutes, 0)
	for _, e := range slices.Concat(first, then) {
		if left == 0 {
			break
		}
		take := min(left, e.Available())
		p.Allocations = append(p.Allocations, Allocation{EntryID: e.ID, ExpiresOn: e.ExpiresOn, Origin: e.Origin, Product: e.Product, Minutes: take})
		left -= take
	}
	p.InvoiceMinutes, p.InvoiceProduct = left, InvoiceProduct(r.Product)
	return p
}

// CheckPayment is rules R2–R5 on the payment a user accepted, against the
// child's credit as it is now (entries): the payment adds up to the
// request, takes no more from an entry than it holds, uses no credit the
// rules block, and is the proposal on the credit as it is now, unless it
// invoices everything with a reason (R3). Credit that changed since the
// proposal gives a *PaymentChangedError with a fresh one.
func CheckPayment(r RequestSpec, pay Payment, entries []CreditEntry) error {
	fresh := Propose(r, entries)
	if pay.InvoiceMinutes < 0 || pay.CreditMinutes()+pay.InvoiceMinutes != r.Minutes {
		return Refuse(RefusePaymentTotal, Args{"Paid": MinutesText(pay.CreditMinutes() + pay.InvoiceMinutes), "Hours": MinutesText(r.Minutes)})
	}
	if pay.InvoiceProduct != InvoiceProduct(r.Product) {
		return Refuse(RefuseInvoiceProduct, Args{"Product": string(r.Product), "Want": string(InvoiceProduct(r.Product)), "Got": string(pay.InvoiceProduct)})
	}
	taken := map[ID]int{}
	for _, a := range pay.Allocations {
		i := slices.IndexFunc(entries, func(e CreditEntry) bool { return e.ID == a.EntryID && e.ExpiresOn == a.ExpiresOn })
		switch {
		case a.Minutes <= 0:
			return Refuse(RefuseNoCreditMinutes, nil)
		case i < 0:
			return &PaymentChangedError{Fresh: fresh, Cause: fmt.Errorf("credit %d is not in the ledger any more: %w", a.EntryID, ErrNotFound)}
		}
		if reason := BlockOf(r, entries[i]); reason != "" {
			return Refuse(RefuseCreditBlocked, Args{"Entry": int(a.EntryID), "Reason": string(reason)})
		}
		taken[a.EntryID] += a.Minutes
		if taken[a.EntryID] > entries[i].Available() {
			return &PaymentChangedError{Fresh: fresh, Cause: fmt.Errorf("%w: credit %d holds %s, the payment takes %s",
				ErrOverdrawn, a.EntryID, MinutesText(entries[i].Available()), MinutesText(taken[a.EntryID]))}
		}
	}
	if strings.TrimSpace(pay.OverrideReason) != "" {
		if len(pay.Allocations) > 0 {
			return Refuse(RefuseOverrideWithCredit, nil)
		}
		return nil
	}
	switch {
	case pay.Equal(fresh.Payment):
		return nil
	case len(pay.Allocations) == 0 && fresh.CreditMinutes() > 0:
		return Refuse(RefuseOverrideReason, nil)
	}
	return &PaymentChangedError{Fresh: fresh}
}

// MinutesText shows minutes as hours and minutes, "2:30".
func MinutesText(m int) string { return fmt.Sprintf("%d:%02d", m/60, m%60) }
