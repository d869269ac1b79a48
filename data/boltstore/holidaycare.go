package boltstore

import (
	"context"
	"fmt"
	"slices"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

// RegisterHolidayContract stores a holiday contract (V2): a year's credit of
// holiday days, starting on the first day of the holiday, in the group of
// the child's school-weeks contract. It is refused after the holiday's
// deadline with a DeadlineError.
func (db *DB) RegisterHolidayContract(ctx context.Context, r data.HolidayContractRequest) (data.Contract, error) {
	if r.CreditDays < 1 {
		return data.Contract{}, data.Refuse(data.RefuseHolidayNoDays, nil)
	}
	today := db.Today()
	var c data.Contract
	err := db.update(ctx, data.AuditRegisterHolidayContract, func(tx *bolt.Tx, changed *[]data.Change) error {
		child, err := readChild(tx, r.ChildID)
		if err != nil {
			return err
		}
		if err := db.allow(tx, data.ActContracts, child.LocationID, 0); err != nil {
			return err
		}
		h, err := readHoliday(tx, child.SchoolID, r.HolidayID)
		if err != nil {
			return data.Refuse(data.RefuseHolidayOtherSchool, data.Args{"Holiday": int(r.HolidayID), "Child": child.Name()})
		}
		settings, err := readSettings(tx)
		if err != nil {
			return err
		}
		if err := data.CheckHolidayContractDeadline(today, h, settings); err != nil {
			return err
		}
		c = data.Contract{ChildID: child.ID, Product: data.ProductBSOHoliday, Start: h.From, End: yearFrom(h.From), CreditDays: r.CreditDays}
		contracts, err := allJSON[data.Contract](tx.Bucket(bucketContracts))
		if err != nil {
			return err
		}
		for _, other := range contracts {
			if other.ChildID != child.ID || !data.Overlaps(other, c.Start, c.End) {
				continue
			}
			switch other.Product {
			case data.ProductBSO52Weeks:
				return data.Refuse(data.RefuseHoliday52Weeks, data.Args{"Child": child.Name()})
			case data.ProductBSOHoliday:
				return data.Refuse(data.RefuseHolidayContractExists, data.Args{"Child": child.Name(), "Date": other.Start})
			case data.ProductBSOSchoolWeeks:
				if other.Runs(h.From) {
					c.GroupID = other.GroupID
				}
			}
		}
		if c.GroupID == 0 {
			return data.Refuse(data.RefuseHolidayNoSchoolWeeks, data.Args{"Child": child.Name(), "Date": h.From})
		}
		seq, err := tx.Bucket(bucketContracts).NextSequence()
		if err != nil {
			return err
		}
		c.ID = data.ID(seq)
		*changed = append(*changed, data.Change{Kind: data.ChangePlanning, ChildID: c.ChildID,
			Detail: fmt.Sprintf("holiday contract %d: %d days", c.ID, c.CreditDays)})
		return putContract(tx, c)
	})
	if err != nil {
		return data.Contract{}, err
	}
	return c, nil
}

// yearFrom is the last day of the year that starts on d.
func yearFrom(d data.Date) data.Date { return data.DateOf(d.Midnight().AddDate(1, 0, 0)).AddDays(-1) }

// HolidayOverview reads a holiday of a school with its children's cover.
func (db *DB) HolidayOverview(ctx context.Context, schoolID, holidayID data.ID) (data.HolidayOverview, error) {
	today := db.Today()
	var o data.HolidayOverview
	err := db.view(ctx, func(tx *bolt.Tx) error {
		h, err := readHoliday(tx, schoolID, holidayID)
		if err != nil {
			return err
		}
		settings, err := readSettings(tx)
		if err != nil {
			return err
		}
		o = data.HolidayOverview{Holiday: h, Deadline: data.HolidayContractDeadline(h, settings)}
		o.DaysLeft = today.DaysUntil(o.Deadline)

		contracts, err := allJSON[data.Contract](tx.Bucket(bucketContracts))
		if err != nil {
			return err
		}
		group := map[data.ID]data.ID{}
		cover := map[data.ID]data.HolidayCover{}
		fiftyTwo := map[data.ID]bool{}
		for _, c := range contracts {
			if !data.Overlaps(c, h.From, h.To) {
				continue
			}
			switch c.Product {
			case data.ProductBSOSchoolWeeks:
				group[c.ChildID] = c.GroupID
			case data.ProductBSO52Weeks:
				fiftyTwo[c.ChildID] = true
			case data.ProductBSOHoliday:
				cover[c.ChildID] = data.CoverContract
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
			g, err := getJSON[data.Group](tx.Bucket(bucketGroups), idKey(groupID))
			if err != nil {
				return fmt.Errorf("group %d: %w", groupID, err)
			}
			child.Picture = nil
			o.Children = append(o.Children, data.HolidayChild{Child: child, Group: g, Cover: cover[childID]})
		}
		return nil
	})
	data.SortByName(o.Children, func(c data.HolidayChild) data.Child { return c.Child })
	slices.SortStableFunc(o.Children, func(a, b data.HolidayChild) int {
		return boolOrder(a.Cover != data.CoverNone) - boolOrder(b.Cover != data.CoverNone)
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
func markBookings(tx *bolt.Tx, h data.SchoolHoliday, cover map[data.ID]data.HolidayCover) error {
	for d := h.From; !d.After(h.To); d = d.AddDays(1) {
		day := nested(tx.Bucket(bucketExtras), dateKey(d))
		if day == nil {
			continue
		}
		err := day.ForEachBucket(func(group []byte) error {
			return day.Bucket(group).ForEach(func(child, _ []byte) error {
				if id := data.ID(btoi(child)); cover[id] == data.CoverNone {
					cover[id] = data.CoverBooking
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
