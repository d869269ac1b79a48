package pgstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
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
	err := db.update(ctx, data.AuditRegisterHolidayContract, func(tx pgx.Tx, changed *[]data.Change) error {
		child, err := readChild(ctx, tx, r.ChildID)
		if err != nil {
			return err
		}
		if err := db.allow(ctx, tx, data.ActContracts, child.LocationID, 0); err != nil {
			return err
		}
		h, err := readHoliday(ctx, tx, child.SchoolID, r.HolidayID)
		if err != nil {
			return data.Refuse(data.RefuseHolidayOtherSchool, data.Args{"Holiday": int(r.HolidayID), "Child": child.Name()})
		}
		settings, err := readSettings(ctx, tx)
		if err != nil {
			return err
		}
		if err := data.CheckHolidayContractDeadline(today, h, settings); err != nil {
			return err
		}
		others, err := childContracts(ctx, tx, child.ID, h.From, data.YearFrom(h.From))
		if err != nil {
			return err
		}
		if c, err = data.NewHolidayContract(r, child, h, others); err != nil {
			return err
		}
		if c.ID, err = insertContract(ctx, tx, c); err != nil {
			return err
		}
		*changed = append(*changed, data.HolidayContractChange(c))
		return nil
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
	err := db.view(ctx, func(tx pgx.Tx) error {
		h, err := readHoliday(ctx, tx, schoolID, holidayID)
		if err != nil {
			return err
		}
		settings, err := readSettings(ctx, tx)
		if err != nil {
			return err
		}
		o = data.HolidayOverview{Holiday: h, Deadline: data.HolidayContractDeadline(h, settings)}
		o.DaysLeft = today.DaysUntil(o.Deadline)

		// The contracts in the holiday of the school's children: only they
		// can be on the overview.
		contracts, err := readContracts(ctx, tx, `SELECT `+contractColumns+` FROM contracts
			WHERE child_id IN (SELECT id FROM children WHERE school_id = $1)
			AND start_day <= $3 AND (end_day IS NULL OR end_day >= $2) ORDER BY id`,
			int64(schoolID), dateArg(h.From), dateArg(h.To))
		if err != nil {
			return fmt.Errorf("read contracts: %w", err)
		}
		group, cover := data.HolidayCovers(h, contracts)
		if err := markBookings(ctx, tx, h, cover); err != nil {
			return err
		}
		var childIDs, groupIDs []data.ID
		for childID, groupID := range group {
			childIDs, groupIDs = append(childIDs, childID), append(groupIDs, groupID)
		}
		children, err := childrenByID(ctx, tx, childIDs)
		if err != nil {
			return err
		}
		groups, err := groupsByID(ctx, tx, groupIDs)
		if err != nil {
			return err
		}
		slices.Sort(childIDs)
		for _, childID := range childIDs {
			child, ok := children[childID]
			if !ok {
				return fmt.Errorf("child %d: %w", childID, data.ErrNotFound)
			}
			g, ok := groups[group[childID]]
			if !ok {
				return fmt.Errorf("group %d: %w", group[childID], data.ErrNotFound)
			}
			child.Picture = nil
			o.Children = append(o.Children, data.HolidayChild{Child: child, Group: g, Cover: cover[childID]})
		}
		return nil
	})
	o.SortChildren()
	return o, err
}

// groupsByID reads the groups with the given IDs, by ID.
func groupsByID(ctx context.Context, q querier, ids []data.ID) (map[data.ID]data.Group, error) {
	all, err := readGroups(ctx, q, `SELECT `+groupColumns+` FROM groups WHERE id = ANY($1)`, idsArg(ids))
	if err != nil {
		return nil, fmt.Errorf("read groups: %w", err)
	}
	out := make(map[data.ID]data.Group, len(all))
	for _, g := range all {
		out[g.ID] = g
	}
	return out, nil
}

// markBookings marks children with an extra (a booked holiday day) on any
// day of h, unless a contract covers them already.
func markBookings(ctx context.Context, q querier, h data.SchoolHoliday, cover map[data.ID]data.HolidayCover) error {
	rows, err := q.Query(ctx, `SELECT DISTINCT child_id FROM extras WHERE day BETWEEN $1 AND $2`, dateArg(h.From), dateArg(h.To))
	if err != nil {
		return fmt.Errorf("read the holiday's bookings: %w", err)
	}
	booked, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("read the holiday's bookings: %w", err)
	}
	for _, id := range booked {
		data.BookedHoliday(cover, data.ID(id))
	}
	return nil
}
