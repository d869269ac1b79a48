package demo

import (
	"context"
	"slices"
	"time"

	"locatiedesk/data/boltstore"

	"locatiedesk/data"
)

// Fill seeds an empty store with the demo location as it looks on the
// store's today, with its recent history, in one transaction: the approvals
// queue is not empty and some children have absence credit on their card.
func Fill(ctx context.Context, db *boltstore.DB) error {
	today := db.Today()
	ds := Build(today)
	ds.History = History(ds, today)
	return db.Seed(ctx, ds)
}

// History is the demo's last weeks as the store replays them (ImportHistory):
// a few absences reported in time, which earn credit (T1), and three
// extra-care requests waiting for approval (R6): one for tomorrow's list (or
// the next open day), one for a day gone by that nobody decided, and an
// older one the office registered for a day three weeks on. The requests
// are of children with credit, so their payment reserves it (R3, R7).
func History(ds data.Dataset, today data.Date) data.History {
	p := newPlanner(ds)
	var h data.History
	requests := []struct {
		group       data.ID
		first, last data.Date // the days to try, the first open one taken
		submitted   func(day data.Date) time.Time
		channel     data.Channel
	}{
		{group: 1, first: today, last: today.AddDays(2), channel: data.ChannelGroup,
			submitted: func(data.Date) time.Time { return today.AddDays(-1).Time(data.NewClock(16, 10), time.Local) }},
		{group: 3, first: today.AddDays(-6), last: today.AddDays(-1), channel: data.ChannelGroup,
			submitted: func(day data.Date) time.Time { return day.AddDays(-2).Time(data.NewClock(16, 40), time.Local) }},
		{group: 2, first: today.AddDays(12), last: today.AddDays(15), channel: data.ChannelOffice,
			submitted: func(data.Date) time.Time { return today.AddDays(-9).Time(data.NewClock(11, 5), time.Local) }},
	}
	creditFrom := today.AddDays(-13)
	for _, r := range requests {
		// Credit to pay it with: a contract day of the child missed about two
		// weeks ago, reported three days ahead, before any request was made;
		// for BSO a day of the request day's kind, with or without school,
		// as credit pays only for its own kind of day (T2).
		var absent placement
		day, child, ok := p.unexpectedChild(r.group, r.first, r.last, creditFrom, ds.Records, func(day data.Date, child data.ID) bool {
			var found bool
			absent, found = p.contractDay(child, creditFrom, p.noSchool(child, day), r.submitted(day), ds.Records)
			return found
		})
		if !ok {
			continue
		}
		h.Absences = append(h.Absences, data.PastAbsence{Date: absent.day, GroupID: absent.group, ChildID: child,
			Reason: data.AbsenceDayOff, Note: absenceNotes[data.AbsenceDayOff], By: "ouder (telefoon)",
			ReportedAt: absenceReported(absent.day)})
		g := p.groups[r.group]
		draft := data.RequestDraft{ChildID: child, GroupID: g.ID, Date: day, Channel: r.channel, By: requester(r.channel, g.ID),
			Product: data.ProductKDV, Times: data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(13, 0)}}
		if g.Care == data.BSO {
			draft.Product, draft.Times = data.ProductBSOSchoolDay, data.TimeRange{From: data.NewClock(15, 0), Until: data.NewClock(18, 30)}
			if p.cal.IsSchoolHoliday(p.children[child].SchoolID, day) {
				draft.Product, draft.Times = data.ProductBSOHoliday, ds.Settings.HolidayDay
			}
		}
		h.Requests = append(h.Requests, data.PastRequest{Draft: draft, SubmittedAt: r.submitted(day), Status: data.StatusOpen})
	}
	return h
}

// requester names who registers a request: the office's planner for a
// parent, or a staff member of the request's own group.
func requester(ch data.Channel, groupID data.ID) string {
	for _, u := range Users {
		if ch == data.ChannelOffice && u.Role == data.RoleOffice || ch == data.ChannelGroup && slices.Contains(u.GroupIDs, groupID) {
			return u.Name
		}
	}
	return "demo"
}

// planner answers who is expected where, as the store will on its lists (A1).
type planner struct {
	ds       data.Dataset
	groups   map[data.ID]data.Group
	children map[data.ID]data.Child
	cal      data.Calendar
}

func newPlanner(ds data.Dataset) planner {
	p := planner{ds: ds, groups: map[data.ID]data.Group{}, children: map[data.ID]data.Child{},
		cal: data.Calendar{ClosingDays: ds.ClosingDays, Holidays: ds.Holidays, StudyDays: ds.StudyDays}}
	for _, g := range ds.Groups {
		p.groups[g.ID] = g
	}
	for _, c := range ds.Children {
		p.children[c.ID] = c
	}
	return p
}

func (p planner) plan(group data.ID, d data.Date) data.DayPlan {
	var extras []data.Extra
	for _, su := range p.ds.SignUps {
		extras = append(extras, data.Extra{ChildID: su.ChildID, GroupID: su.GroupID, Date: su.Date, Times: su.Times, Source: data.SourceStudyDay})
	}
	return data.PlanDay(d, p.groups[group], p.ds.Contracts, extras, p.children, p.cal, p.ds.Settings)
}

// unexpectedChild finds the first open day from first to last of the group
// with a child who has a care contract there since since but is not
// expected that day and has no record: a child extra care can be asked for,
// and for whom credit(day, child) holds.
func (p planner) unexpectedChild(group data.ID, first, last, since data.Date, records []data.DayRecord, credit func(data.Date, data.ID) bool) (data.Date, data.ID, bool) {
	for d := first; !d.After(last); d = d.AddDays(1) {
		plan := p.plan(group, d)
		if plan.Closed {
			continue
		}
		for _, c := range p.ds.Contracts {
			// A BSO child of the 52-weeks contract, who has care on days
			// with and without school, so can have earned the credit of a
			// holiday day as well as of a school day (T2).
			if p.groups[group].Care == data.BSO && c.Product != data.ProductBSO52Weeks {
				continue
			}
			if c.GroupID != group || len(c.Days) == 0 || !c.Runs(d) || !c.Runs(since) ||
				slices.ContainsFunc(plan.Expected, func(e data.Expectation) bool { return e.ChildID == c.ChildID }) ||
				slices.ContainsFunc(records, func(r data.DayRecord) bool { return r.ChildID == c.ChildID && r.Date == d }) ||
				!credit(d, c.ChildID) {
				continue
			}
			return d, c.ChildID, true
		}
	}
	return data.Date{}, 0, false
}

type placement struct {
	day   data.Date
	group data.ID
}

// noSchool reports whether d is a day without school for the child (a
// holiday or study day of its school); false for a child without school.
func (p planner) noSchool(child data.ID, d data.Date) bool {
	school := p.children[child].SchoolID
	return school != 0 && (p.cal.IsSchoolHoliday(school, d) || p.cal.IsStudyDay(school, d))
}

// absenceReported is when the demo's parents report an absence: three days ahead.
func absenceReported(d data.Date) time.Time {
	return d.AddDays(-3).Time(data.NewClock(18, 30), time.Local)
}

// contractDay finds the child's first contract day from first on with
// nothing recorded yet, of the kind asked (with or without school), whose
// absence is reported before the request it pays is submitted.
func (p planner) contractDay(child data.ID, first data.Date, noSchool bool, submitted time.Time, records []data.DayRecord) (placement, bool) {
	for d := first; absenceReported(d).Before(submitted); d = d.AddDays(1) {
		if p.noSchool(child, d) != noSchool {
			continue
		}
		for _, g := range p.ds.Groups {
			plan := p.plan(g.ID, d)
			i := slices.IndexFunc(plan.Expected, func(e data.Expectation) bool { return e.ChildID == child })
			if i >= 0 && plan.Expected[i].Source == data.SourceContract &&
				!slices.ContainsFunc(records, func(r data.DayRecord) bool { return r.ChildID == child && r.Date == d }) {
				return placement{day: d, group: g.ID}, true
			}
		}
	}
	return placement{}, false
}
