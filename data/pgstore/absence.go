package pgstore

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
)

// settleAbsence keeps the ledger in step with an attendance edit, in the
// edit's transaction: an absence newly reported earns credit by T1; an
// absence taken back (cleared, or the child checked in after all) withdraws
// its credit. Credit that requests already use is neither left spent (it
// would be created out of nothing) nor taken from under them silently: the
// edit is refused with a CreditSpentError until it confirms the amount,
// and then those minutes go on the requests' invoice (R7).
func settleAbsence(ctx context.Context, tx pgx.Tx, e data.DayEdit, row data.DayRow, before data.Attendance, after *data.Attendance, now time.Time, changed *[]data.Change) error {
	switch data.SettleAbsence(e.By, row, before, after, now) {
	case data.SettleEarn:
		return earnAbsenceCredit(ctx, tx, e.Date, e.GroupID, row, after, now, changed)
	case data.SettleWithdraw:
		*changed = append(*changed, data.Change{Kind: data.ChangeCredit, Date: e.Date, GroupID: e.GroupID})
		if err := billSpentCredit(ctx, tx, e, row.Child.ID, before, now, changed); err != nil {
			return err
		}
		return updateCreditEntry(ctx, tx, row.Child.ID, before.Credit.EntryID, func(c *data.CreditEntry) error {
			c.Withdrawn = true
			return nil
		})
	}
	return nil
}

// billSpentCredit moves the withdrawn absence's credit out of every request
// that uses it onto that request's invoice, once the edit confirms exactly
// the minutes it moves. An approved request that was exported gets a
// correction in the next export, because its billing changed.
func billSpentCredit(ctx context.Context, tx pgx.Tx, e data.DayEdit, childID data.ID, before data.Attendance, now time.Time, changed *[]data.Change) error {
	ref := before.Credit
	requests, err := requestsPayingFrom(ctx, tx, childID, data.DateOf(before.AbsenceReportedAt), ref.ExpiresOn)
	if err != nil {
		return err
	}
	if toBill, err := data.SpentCreditToBill(e, ref.EntryID, requests); !toBill {
		return err
	}
	for _, r := range requests {
		moved, change := data.WithdrawCredit(&r, ref.EntryID, e, now)
		if moved == 0 {
			continue
		}
		err := updateCreditEntry(ctx, tx, childID, ref.EntryID, func(c *data.CreditEntry) error {
			c.GiveBack(r.Status, moved)
			return nil
		})
		if err != nil {
			return err
		}
		*changed = append(*changed, change)
		if err := updateRequest(ctx, tx, r); err != nil {
			return err
		}
	}
	return nil
}

// requestsPayingFrom reads the child's requests for the days from first to
// last, by day: a request paying with an absence's credit was submitted
// after the absence was reported, for a day before the credit expires.
func requestsPayingFrom(ctx context.Context, q querier, childID data.ID, first, last data.Date) ([]data.Request, error) {
	return readRequests(ctx, q, `WHERE child_id = $1 AND day >= $2 AND day <= $3 ORDER BY day, id`,
		int64(childID), dateArg(first), dateArg(last))
}

func earnAbsenceCredit(ctx context.Context, tx pgx.Tx, day data.Date, groupID data.ID, row data.DayRow, rec *data.Attendance, now time.Time, changed *[]data.Change) error {
	settings, err := readSettings(ctx, tx)
	if err != nil {
		return err
	}
	contracts, err := childContracts(ctx, tx, row.Child.ID, day, day)
	if err != nil {
		return err
	}
	a := data.AbsenceOn(day, groupID, row, contracts, now)
	if row.Child.SchoolID != 0 {
		cal, err := calendarFor(ctx, tx, day, []data.ID{row.Child.SchoolID})
		if err != nil {
			return err
		}
		a.HolidayDay = cal.IsSchoolHoliday(row.Child.SchoolID, day) || cal.IsStudyDay(row.Child.SchoolID, day)
	}
	ledger, err := childLedger(ctx, tx, row.Child.ID, data.DateOf(now))
	if err != nil {
		return err
	}
	entry, none := data.EarnCredit(a, data.AbsenceCreditBalance(ledger), settings)
	if none != "" {
		rec.NoCredit = none
		return nil
	}
	if entry.ID, err = insertCreditEntry(ctx, tx, entry); err != nil {
		return err
	}
	rec.Credit, rec.NoCredit = &data.CreditRef{EntryID: entry.ID, ExpiresOn: entry.ExpiresOn, Minutes: entry.Minutes}, ""
	*changed = append(*changed, data.Change{Kind: data.ChangeCredit, Date: day, GroupID: groupID})
	return nil
}
