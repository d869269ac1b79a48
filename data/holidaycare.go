package data

import (
	"errors"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// ErrTooLate is returned when a deadline has passed.
var ErrTooLate = errors.New("too late")

// HolidayContractDeadline is the last day a holiday contract for h can be
// arranged (V2): Settings.HolidayContractWeeks weeks before the holiday starts.
func HolidayContractDeadline(h SchoolHoliday, s Settings) Date {
	return h.From.AddDays(-7 * s.HolidayContractWeeks)
}

// DeadlineError names the holiday and the deadline that passed; it wraps ErrTooLate.
type DeadlineError struct {
	Holiday  SchoolHoliday
	Deadline Date
}

func (e *DeadlineError) Error() string {
	return fmt.Sprintf("too late for a holiday contract for the %s (from %s): it had to be arranged by %s",
		e.Holiday.Name, e.Holiday.From, e.Deadline)
}

func (e *DeadlineError) Unwrap() error { return ErrTooLate }

// CheckHolidayContractDeadline refuses a holiday contract for h arranged
// after its deadline (V2); the deadline day itself is still in time.
func CheckHolidayContractDeadline(today Date, h SchoolHoliday, s Settings) error {
	if deadline := HolidayContractDeadline(h, s); today.After(deadline) {
		return &DeadlineError{Holiday: h, Deadline: deadline}
	}
	return nil
}

// HolidayContractRequest is the office arranging a holiday contract for a
// child, from a holiday of the child's school on.
type HolidayContractRequest struct {
	ChildID   ID
	HolidayID ID
	// CreditDays is the number of holiday days a year the contract gives.
	CreditDays int
}

// RegisterHolidayContract stores a holiday contract (V2): a year's credit of
// holiday days, starting on the first day of the holiday, in the group of
// the child's school-weeks contract. It is refused after the holiday's
// deadline with a DeadlineError.
func (db *DB) RegisterHolidayContract(r HolidayContractRequest) (Contract, error) {
	if r.CreditDays < 1 {
		return Contract{}, invalid("a holiday contract gives at least one holiday day")
	}
	today := db.Today()
	var c Contract
	err := db.update(func(tx *bolt.Tx, changed *[]Change) error {
		child, err := readChild(tx, r.ChildID)
		if err != nil {
			return err
		}
		if err := db.allow(tx, ActContracts, child.LocationID, 0); err != nil {
			return err
		}
		h, err := readHoliday(tx, child.SchoolID, r.HolidayID)
		if err != nil {
			return invalid("holiday %d is not a holiday of the school of %s", r.HolidayID, child.Name())
		}
		settings, err := readSettings(tx)
		if err != nil {
			return err
		}
		if err := CheckHolidayContractDeadline(today, h, settings); err != nil {
			return err
		}
		c = Contract{ChildID: child.ID, Product: ProductBSOHoliday, Start: h.From, End: yearFrom(h.From), CreditDays: r.CreditDays}
		contracts, err := allJSON[Contract](tx.Bucket(bucketContracts))
		if err != nil {
			return err
		}
		for _, other := range contracts {
			if other.ChildID != child.ID || !overlaps(other, c.Start, c.End) {
				continue
			}
			switch other.Product {
			case ProductBSO52Weeks:
				return invalid("%s has a 52-weeks contract, which gives care in the holidays already", child.Name())
			case ProductBSOHoliday:
				return invalid("%s has a holiday contract from %s already", child.Name(), other.Start)
			case ProductBSOSchoolWeeks:
				if other.Runs(h.From) {
					c.GroupID = other.GroupID
				}
			}
		}
		if c.GroupID == 0 {
			return invalid("%s has no BSO school-weeks contract on %s", child.Name(), h.From)
		}
		seq, err := tx.Bucket(bucketContracts).NextSequence()
		if err != nil {
			return err
		}
		c.ID = ID(seq)
		*changed = append(*changed, Change{Kind: ChangePlanning, ChildID: c.ChildID,
			Detail: fmt.Sprintf("holiday contract %d: %d days", c.ID, c.CreditDays)})
		return putContract(tx, c)
	})
	if err != nil {
		return Contract{}, err
	}
	return c, nil
}

// yearFrom is the last day of the year that starts on d.
func yearFrom(d Date) Date { return DateOf(d.midnight().AddDate(1, 0, 0)).AddDays(-1) }

// overlaps reports whether c runs on any day from from to to inclusive.
func overlaps(c Contract, from, to Date) bool {
	return !c.Start.After(to) && (c.End.IsZero() || !c.End.Before(from))
}

// HolidayCover says how a BSO school-weeks child is covered in a holiday.
type HolidayCover string

// The covers the holiday overview shows.
const (
	CoverNone     HolidayCover = ""         // no contract, no booking: parents to reach
	CoverContract HolidayCover = "contract" // a holiday contract (V2)
	CoverBooking  HolidayCover = "booking"  // at least one booked holiday day
)

// HolidayChild is a BSO child in the holiday overview.
type HolidayChild struct {
	Child Child
	Group Group
	Cover HolidayCover
}

// HolidayOverview is one holiday of one school as the office plans it: the
// deadline for holiday contracts, and the school-weeks children with and
// without holiday care. 52-weeks children are left out: their contract
// covers the holidays (A1).
type HolidayOverview struct {
	Holiday  SchoolHoliday
	Deadline Date
	// DaysLeft counts the days from today to the deadline; negative once it has passed.
	DaysLeft int
	// Children come without cover first (the parents to reach), then by name.
	Children []HolidayChild
}

// Uncovered counts the children without holiday contract or booking.
func (o HolidayOverview) Uncovered() int {
	n := 0
	for _, c := range o.Children {
		if c.Cover == CoverNone {
			n++
		}
	}
	return n
}

// HolidayOverview reads a holiday of a school with its children's cover.
func (db *DB) HolidayOverview(schoolID, holidayID ID) (HolidayOverview, error) {
	today := db.Today()
	var o HolidayOverview
	err := db.view(func(tx *bolt.Tx) error {
		h, err := readHoliday(tx, schoolID, holidayID)
		if err != nil {
			return err
		}
		settings, err := readSettings(tx)
		if err != nil {
			return err
		}
		o = HolidayOverview{Holiday: h, Deadline: HolidayContractDeadline(h, settings)}
		o.DaysLeft = today.DaysUntil(o.Deadline)

		contracts, err := allJSON[Contract](tx.Bucket(bucketContracts))
		if err != nil {
			return err
		}
		group := map[ID]ID{}
		cover := map[ID]HolidayCover{}
		fiftyTwo := map[ID]bool{}
		for _, c := range contracts {
			if !overlaps(c, h.From, h.To) {
				continue
			}
			switch c.Product {
			case ProductBSOSchoolWeeks:
				group[c.ChildID] = c.GroupID
			case ProductBSO52Weeks:
				fiftyTwo[c.ChildID] = true
			case ProductBSOHoliday:
				cover[c.ChildID] = CoverContract
			}
		}
		if err := markBookings(tx, h, cover); err != nil {
			return err
		}
		for childID, groupID := range group {
			child, err := readChild(tx, childID)
			if err != nil {
				return err
			}
			if child.SchoolID != schoolID || fiftyTwo[childID] {
				continue
			}
			g, err := getJSON[Group](tx.Bucket(bucketGroups), idKey(groupID))
			if err != nil {
				return fmt.Errorf("group %d: %w", groupID, err)
			}
			child.Picture = nil
			o.Children = append(o.Children, HolidayChild{Child: child, Group: g, Cover: cover[childID]})
		}
		return nil
	})
	SortByName(o.Children, func(c HolidayChild) Child { return c.Child })
	slices.SortStableFunc(o.Children, func(a, b HolidayChild) int {
		return boolOrder(a.Cover != CoverNone) - boolOrder(b.Cover != CoverNone)
	})
	return o, err
}

func boolOrder(b bool) int {
	if b {
		return 1
	}
	return 0
}

// markBookings marks children with an extra (a booked holiday day) on any
// day of h, unless a contract covers them already.
func markBookings(tx *bolt.Tx, h SchoolHoliday, cover map[ID]HolidayCover) error {
	for d := h.From; !d.After(h.To); d = d.AddDays(1) {
		day := nested(tx.Bucket(bucketExtras), dateKey(d))
		if day == nil {
			continue
		}
		err := day.ForEachBucket(func(group []byte) error {
			return day.Bucket(group).ForEach(func(child, _ []byte) error {
				if id := ID(btoi(child)); cover[id] == CoverNone {
					cover[id] = CoverBooking
				}
				return nil
			})
		})
		if err != nil {
			return err
		}
	}
	return nil
}
