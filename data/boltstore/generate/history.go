package generate

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"locatiedesk/data/boltstore"

	"locatiedesk/data"
)

// Generate seeds an empty store with the organisation and replays its
// history week by week, one transaction a week, calling progress after each.
// Each day of the history has what a location's day has: absences reported
// ahead (which earn credit) and on the morning itself (which do not),
// extra-care requests registered by the group for the coming days and by the
// office further ahead, most decided the same or the next working day, and
// the check-ins and check-outs of everyone who came. On Today itself the
// daycare children expected have checked in, and the requests not decided
// yet are open.
func Generate(ctx context.Context, db *boltstore.DB, o Options, progress func(day, days int)) error {
	if err := o.Validate(); err != nil {
		return err
	}
	ds := Organisation(o)
	ds.Unfinished = fmt.Sprintf("generate (started %s)", time.Now().Format("2006-01-02 15:04"))
	if err := db.Seed(ctx, ds); err != nil {
		return err
	}
	h := newHistorian(ds, o)
	first := o.Today.AddDays(-365 * o.Years)
	days := first.DaysUntil(o.Today) + 1
	for d := first; !d.After(o.Today); d = d.AddDays(1) {
		h.day(d)
		// A week ends on Sunday: no decision is still pending then.
		if d.Weekday() == time.Sunday || d == o.Today {
			if err := db.ImportHistory(ctx, h.batch); err != nil {
				return err
			}
			h.batch = data.History{}
			if progress != nil {
				progress(first.DaysUntil(d)+1, days)
			}
		}
	}
	return db.Finished(ctx)
}

// Staff and office names in the history.
const (
	byGroup  = "pm-er"
	byOffice = "planner"
	byParent = "ouder (telefoon)"
)

type dayGroup struct {
	day   data.Date
	group data.ID
}

type dayChild struct {
	day   data.Date
	child data.ID
}

// historian keeps what the history has made so far, so that every event it
// adds is one the store's rules accept at its moment.
type historian struct {
	ds       data.Dataset
	o        Options
	now      time.Time // the end of the history: Today, 09:00
	rng      *rand.Rand
	children map[data.ID]data.Child
	byGroup  map[data.ID][]data.Contract
	groups   []data.Group
	closed   map[data.Date]data.ClosingDay
	holidays map[data.ID][]data.SchoolHoliday // by school
	study    map[data.Date][]data.StudyDay
	extras   map[dayGroup][]data.Extra
	cals     map[data.Date]data.Calendar
	plans    map[dayGroup]data.DayPlan
	absent   map[dayChild]bool
	live     map[dayChild]time.Time // until when a request is open or approved; zero for good
	batch    data.History
}

func newHistorian(ds data.Dataset, o Options) *historian {
	h := &historian{ds: ds, o: o, now: o.Today.Time(data.NewClock(9, 0), time.UTC), rng: rand.New(rand.NewPCG(o.Seed, 2)),
		children: map[data.ID]data.Child{}, byGroup: map[data.ID][]data.Contract{}, groups: ds.Groups,
		closed: map[data.Date]data.ClosingDay{}, holidays: map[data.ID][]data.SchoolHoliday{}, study: map[data.Date][]data.StudyDay{},
		extras: map[dayGroup][]data.Extra{}, cals: map[data.Date]data.Calendar{}, plans: map[dayGroup]data.DayPlan{}, absent: map[dayChild]bool{}, live: map[dayChild]time.Time{}}
	for _, c := range ds.Children {
		h.children[c.ID] = c
	}
	for _, c := range ds.Contracts {
		h.byGroup[c.GroupID] = append(h.byGroup[c.GroupID], c)
	}
	for _, cd := range ds.ClosingDays {
		h.closed[cd.Date] = cd
	}
	for _, hol := range ds.Holidays {
		h.holidays[hol.SchoolID] = append(h.holidays[hol.SchoolID], hol)
	}
	for _, sd := range ds.StudyDays {
		h.study[sd.Date] = append(h.study[sd.Date], sd)
	}
	for _, su := range ds.SignUps {
		k := dayGroup{su.Date, su.GroupID}
		h.extras[k] = append(h.extras[k], data.Extra{ChildID: su.ChildID, GroupID: su.GroupID, Date: su.Date, Times: su.Times, Source: data.SourceStudyDay})
	}
	return h
}

// calendar is the calendar of one day: PlanDay then looks through a few
// entries, not every holiday of every school.
func (h *historian) calendar(d data.Date) data.Calendar {
	if cal, ok := h.cals[d]; ok {
		return cal
	}
	cal := data.Calendar{StudyDays: h.study[d]}
	if cd, ok := h.closed[d]; ok {
		cal.ClosingDays = []data.ClosingDay{cd}
	}
	for _, hols := range h.holidays {
		for _, hol := range hols {
			if hol.Covers(d) {
				cal.Holidays = append(cal.Holidays, hol)
			}
		}
	}
	h.cals[d] = cal
	return cal
}

// plan is the group's list of d as the store will build it, kept until an extra changes it.
func (h *historian) plan(d data.Date, g data.Group) data.DayPlan {
	k := dayGroup{d, g.ID}
	p, ok := h.plans[k]
	if !ok {
		p = data.PlanDay(d, g, h.byGroup[g.ID], h.extras[k], h.children, h.calendar(d), h.ds.Settings)
		h.plans[k] = p
	}
	return p
}

// day adds the events of one day of the history to the batch.
func (h *historian) day(d data.Date) {
	for k := range h.plans {
		if k.day.Before(d) {
			delete(h.plans, k)
		}
	}
	for k := range h.live {
		if k.day.Before(d) {
			delete(h.live, k)
		}
	}
	delete(h.cals, d.AddDays(-1))
	for _, g := range h.groups {
		h.reportAhead(d, g)
		h.request(d, g)
		h.attend(d, g)
	}
}

// reportAhead reports, in the evening of d, absences on a day two to seven
// days on: reported in time, they earn credit (T1).
func (h *historian) reportAhead(d data.Date, g data.Group) {
	day := d.AddDays(2 + h.rng.IntN(6))
	at := d.Time(data.NewClock(19, h.rng.IntN(60)), time.UTC)
	if at.After(h.now) {
		return
	}
	for _, e := range h.plan(day, g).Expected {
		if e.Source == data.SourceContract && !h.absent[dayChild{day, e.ChildID}] && h.rng.IntN(25) == 0 {
			h.absent[dayChild{day, e.ChildID}] = true
			h.batch.Absences = append(h.batch.Absences, data.PastAbsence{Date: day, GroupID: g.ID, ChildID: e.ChildID,
				Reason: data.AbsenceDayOff, Note: "Dagje weg", By: byParent, ReportedAt: at})
		}
	}
}

// request registers extra care asked on working day d: by the group for
// today up to three days on, by the office for four to three weeks on (R1).
func (h *historian) request(d data.Date, g data.Group) {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return
	}
	type ask struct {
		ahead     int
		channel   data.Channel
		by        string
		submitted time.Time
	}
	asks := make([]ask, h.rng.IntN(3))
	for i := range asks {
		a := ask{ahead: h.rng.IntN(4), channel: data.ChannelGroup, by: byGroup}
		if h.rng.IntN(5) < 2 {
			a.ahead, a.channel, a.by = 4+h.rng.IntN(18), data.ChannelOffice, byOffice
		}
		a.submitted = d.Time(data.NewClock(8+h.rng.IntN(9), h.rng.IntN(60)), time.UTC)
		if a.ahead == 0 { // asked in the morning for the afternoon
			a.submitted = d.Time(data.NewClock(8+h.rng.IntN(4), h.rng.IntN(60)), time.UTC)
		}
		asks[i] = a
	}
	// In the order they are made: a request approved before another is
	// submitted counts in that one's occupancy, in the store as here.
	slices.SortFunc(asks, func(a, b ask) int { return a.submitted.Compare(b.submitted) })
	for _, a := range asks {
		ahead, channel, by, submitted := a.ahead, a.channel, a.by, a.submitted
		day := d.AddDays(ahead)
		if submitted.After(h.now) {
			return
		}
		plan := h.plan(day, g)
		if plan.Closed {
			continue
		}
		draft, ok := h.draft(day, g, plan, submitted)
		if !ok {
			continue
		}
		draft.Channel, draft.By = channel, by
		draft.OverCapacity = data.OverCapacity(len(plan.Expected), g.Capacity)
		r := data.PastRequest{Draft: draft, SubmittedAt: submitted, Status: data.StatusOpen}
		// The group decides on the spot; the office the same or the next working day.
		decided := submitted.Add(time.Duration(h.rng.IntN(90)) * time.Minute)
		if channel == data.ChannelOffice {
			decided = submitted.Add(time.Duration(1+h.rng.IntN(30)) * time.Hour)
		}
		if day.Time(0, time.UTC).Before(decided) || decided.Weekday() == time.Saturday || decided.Weekday() == time.Sunday {
			decided = submitted.Add(time.Hour)
		}
		// Of the last fortnight, some requests are still waiting (R6).
		if !day.Before(h.o.Today.AddDays(-10)) && h.rng.IntN(6) == 0 {
			decided = h.now.Add(time.Hour)
		}
		if !decided.After(h.now) {
			switch n := h.rng.IntN(20); {
			case n < 15:
				r.Status = data.StatusApproved
				k := dayGroup{day, g.ID}
				h.extras[k] = append(h.extras[k], data.Extra{ChildID: draft.ChildID, GroupID: g.ID, Date: day, Times: draft.Times, Source: data.SourceRequest})
				delete(h.plans, k)
			case n < 18:
				r.Status, r.Reason = data.StatusRejected, "De groep is vol"
			default:
				r.Status, r.Reason = data.StatusCancelled, "Toch niet nodig"
			}
			r.DecidedBy, r.DecidedAt = by, decided
		}
		until := time.Time{}
		if r.Status == data.StatusRejected || r.Status == data.StatusCancelled {
			until = r.DecidedAt
		}
		h.live[dayChild{day, draft.ChildID}] = until
		h.batch.Requests = append(h.batch.Requests, r)
	}
}

// draft picks a child of the group with a contract running on day who is not
// expected then and has no request for it yet, and the care to ask.
func (h *historian) draft(day data.Date, g data.Group, plan data.DayPlan, submitted time.Time) (data.RequestDraft, bool) {
	afternoon := data.DateOf(submitted) == day
	contracts := h.byGroup[g.ID]
	start := h.rng.IntN(max(1, len(contracts)))
	for i := range contracts {
		c := contracts[(start+i)%len(contracts)]
		until, requested := h.live[dayChild{day, c.ChildID}]
		if len(c.Days) == 0 || !c.Runs(day) || (requested && (until.IsZero() || !until.Before(submitted))) ||
			slices.ContainsFunc(plan.Expected, func(e data.Expectation) bool { return e.ChildID == c.ChildID }) {
			continue
		}
		d := data.RequestDraft{ChildID: c.ChildID, GroupID: g.ID, Date: day}
		switch {
		case g.Care == data.KDV:
			d.Product, d.Times = data.ProductKDV, data.TimeRange{From: data.NewClock(7, 30), Until: data.NewClock(18, 0)}
			switch {
			case afternoon:
				d.Times.From = data.NewClock(13, 0)
			case h.rng.IntN(2) == 0:
				d.Times.Until = data.NewClock(13, 0)
			}
			if h.hasQflexibel(c.ChildID, g.ID, day) && h.rng.IntN(2) == 0 {
				d.Product = data.ProductQflexibel
			}
		case h.calendar(day).IsSchoolHoliday(h.children[c.ChildID].SchoolID, day):
			d.Product, d.Times = data.ProductBSOHoliday, h.ds.Settings.HolidayDay
		case h.calendar(day).IsStudyDay(h.children[c.ChildID].SchoolID, day):
			continue // a study day goes by the sign-up sheet (S1)
		default:
			d.Product, d.Times = data.ProductBSOSchoolDay, data.TimeRange{From: data.NewClock(15, 0), Until: data.NewClock(18, 30)}
		}
		return d, true
	}
	return data.RequestDraft{}, false
}

func (h *historian) hasQflexibel(child, group data.ID, day data.Date) bool {
	return slices.ContainsFunc(h.byGroup[group], func(c data.Contract) bool {
		return c.ChildID == child && c.Product == data.ProductQflexibel && c.Runs(day)
	})
}

// attend writes the day of d as staff recorded it: on the morning itself
// some children are reported sick (too late to earn credit), everyone else
// checks in and out; on Today only the morning's check-ins have happened.
func (h *historian) attend(d data.Date, g data.Group) {
	plan := h.plan(d, g)
	for _, e := range plan.Expected {
		k := dayChild{d, e.ChildID}
		if h.absent[k] {
			delete(h.absent, k)
			continue
		}
		if e.Source == data.SourceContract && h.rng.IntN(20) == 0 {
			at := d.Time(data.NewClock(7, h.rng.IntN(30)), time.UTC)
			if !at.After(h.now) {
				h.batch.Absences = append(h.batch.Absences, data.PastAbsence{Date: d, GroupID: g.ID, ChildID: e.ChildID,
					Reason: data.AbsenceSick, Note: "Ziek gemeld", By: byGroup, ReportedAt: at})
			}
			continue
		}
		in := e.Times.From + data.Clock(h.rng.IntN(45))
		out := max(in+30, e.Times.Until-data.Clock(h.rng.IntN(90)))
		rec := data.Attendance{CheckIn: &in, CheckOut: &out, UpdatedBy: byGroup, UpdatedAt: d.Time(out, time.UTC)}
		if d == h.o.Today {
			if !d.Time(in, time.UTC).Before(h.now) {
				continue
			}
			rec.CheckOut, rec.UpdatedAt = nil, d.Time(in, time.UTC)
		}
		h.batch.Records = append(h.batch.Records, data.DayRecord{Date: d, GroupID: g.ID, ChildID: e.ChildID, Attendance: rec})
	}
}
