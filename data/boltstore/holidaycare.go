package boltstore

import (
	"context"
	"fmt"

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
		contracts, err := allJSON[data.Contract](tx.Bucket(bucketContracts))
		if err != nil {
			return err
		}
		if c, err = data.NewHolidayContract(r, child, h, contracts); err != nil {
			return err
		}
		seq, err := tx.Bucket(bucketContracts).NextSequence()
		if err != nil {
			return err
		}
		c.ID = data.ID(seq)
		*changed = append(*changed, data.HolidayContractChange(c))
		return putContract(tx, c)
	})
	if err != nil {
		return data.Contract{}, err
	}
	return c, nil
}

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
		group, cover := data.HolidayCovers(h, contracts)
		if err := markBookings(tx, h, cover); err != nil {
			return err
		}
		for childID, groupID := range group {
			child, err := readChild(tx, childID)
			if err != nil {
				return err
			}
			if child.SchoolID != schoolID {
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
	o.SortChildren()
	return o, err
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
				data.BookedHoliday(cover, data.ID(btoi(child)))
				return nil
			})
		})
		if err != nil {
			return err
		}
	}
	return nil
}
