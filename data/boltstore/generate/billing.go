package generate

import (
	"math/rand/v2"
	"slices"
	"time"

	"locatiedesk/data"
)

// Billing adds to an organisation what invoicing reads, for every month
// from from to to: a study day at every school with about a third of its
// school-weeks children signed up, and requestsPerChild decided extra-care
// requests per child on average, each on a day the child's contract does
// not cover. Most are approved, paid on invoice, from credit or a
// combination of both; some are cancelled or rejected. A holiday day
// without holiday credit is billed as an extra vakantiedag bso. The study
// days and sign-ups go into ds (store it with Seed); the requests are
// returned for ImportRequests. The same seed gives the same history.
func Billing(ds *data.Dataset, from, to data.Date, requestsPerChild float64, seed uint64) []data.Request {
	rng := rand.New(rand.NewPCG(seed, 3))
	cal := data.Calendar{ClosingDays: ds.ClosingDays, Holidays: ds.Holidays}
	groups := map[data.ID]data.Group{}
	for _, g := range ds.Groups {
		groups[g.ID] = g
	}
	children := map[data.ID]data.Child{}
	for _, c := range ds.Children {
		children[c.ID] = c
	}
	var requests []data.Request
	for month := firstOfMonth(from); !month.After(to); month = firstOfMonth(month.AddDays(32)) {
		first, last := latest(month, from), earliest(firstOfMonth(month.AddDays(32)).AddDays(-1), to)
		studyDays(ds, rng, cal, children, first, last)
		letStudyDaysGoAhead(ds, last.AddDays(1))
		cal.StudyDays = ds.StudyDays // no request on a study day: that day goes by the sign-up sheet (S1)
		taken := map[data.ID]map[data.Date]bool{}
		for _, c := range ds.Contracts {
			if c.Product == data.ProductBSOHoliday || c.Product == data.ProductQflexibel || !c.Runs(first) {
				continue
			}
			n := int(requestsPerChild)
			if rng.Float64() < requestsPerChild-float64(n) {
				n++
			}
			if taken[c.ChildID] == nil {
				taken[c.ChildID] = map[data.Date]bool{}
			}
			for range n {
				if r, ok := request(rng, cal, c, children[c.ChildID], groups[c.GroupID], ds.Settings, first, last, taken[c.ChildID]); ok {
					requests = append(requests, r)
				}
			}
		}
	}
	return requests
}

// studyDays gives every school a study day between first and last, and
// signs up about a third of its school-weeks children.
func studyDays(ds *data.Dataset, rng *rand.Rand, cal data.Calendar, children map[data.ID]data.Child, first, last data.Date) {
	times := []data.TimeRange{ds.Settings.HolidayDay, {From: data.NewClock(8, 30), Until: data.NewClock(17, 0)}}
	for _, school := range ds.Schools {
		day, ok := openDay(rng, cal, first, last, func(d data.Date) bool {
			return !cal.IsSchoolHoliday(school.ID, d) && !slices.ContainsFunc(ds.StudyDays, func(sd data.StudyDay) bool { return sd.SchoolID == school.ID && sd.Date == d })
		})
		if !ok {
			continue
		}
		ds.StudyDays = append(ds.StudyDays, data.StudyDay{SchoolID: school.ID, Date: day, Name: "Studiedag"})
		registered := day.AddDays(-7).Time(data.NewClock(10, 0), time.UTC)
		for _, c := range ds.Contracts {
			if c.Product != data.ProductBSOSchoolWeeks || !c.Runs(day) || children[c.ChildID].SchoolID != school.ID || rng.IntN(3) != 0 {
				continue
			}
			ds.SignUps = append(ds.SignUps, data.SignUp{ID: data.ID(len(ds.SignUps) + 1), SchoolID: school.ID, Date: day,
				ChildID: c.ChildID, GroupID: c.GroupID, Times: times[rng.IntN(len(times))],
				RegisteredBy: "generator", RegisteredAt: registered, ChangedAt: registered})
		}
	}
}

// request makes one decided request for a day between first and last that
// the contract does not cover, or none when the month has no such day left.
func request(rng *rand.Rand, cal data.Calendar, c data.Contract, child data.Child, g data.Group, s data.Settings, first, last data.Date, taken map[data.Date]bool) (data.Request, bool) {
	day, ok := openDay(rng, cal, first, last, func(d data.Date) bool {
		return !taken[d] && c.Runs(d) && !cal.IsStudyDay(child.SchoolID, d) && !slices.ContainsFunc(c.Days, func(cd data.ContractDay) bool { return cd.Weekday == d.Weekday() })
	})
	if !ok {
		return data.Request{}, false
	}
	taken[day] = true
	d := data.RequestDraft{ChildID: child.ID, GroupID: g.ID, Date: day, Channel: data.ChannelOffice, By: "generator"}
	switch {
	case g.Care == data.KDV:
		d.Product, d.Times = data.ProductKDV, data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(13, 0)}
	case cal.IsSchoolHoliday(child.SchoolID, day):
		d.Product, d.Times = data.ProductBSOHoliday, s.HolidayDay
	default:
		d.Product, d.Times = data.ProductBSOSchoolDay, data.TimeRange{From: data.NewClock(15, 0), Until: data.NewClock(18, 30)}
	}
	minutes := int(d.Times.Until - d.Times.From)
	credit := 0
	switch rng.IntN(10) {
	case 0, 1, 2, 3: // on invoice
	case 4, 5, 6: // a combination
		credit = minutes / 2 / 15 * 15
	default: // from credit
		credit = minutes
	}
	pay := data.Payment{InvoiceMinutes: minutes - credit, InvoiceProduct: data.InvoiceProduct(d.Product)}
	if credit > 0 {
		pay.Allocations = []data.Allocation{{Origin: data.OriginKDVDay, Minutes: credit}}
		if g.Care == data.BSO {
			pay.Allocations[0].Origin = data.OriginBSOSchoolDay
		}
	}
	status := data.StatusApproved
	switch rng.IntN(20) {
	case 0, 1:
		status = data.StatusCancelled
	case 2:
		status = data.StatusRejected
	}
	submitted := day.AddDays(-10).Time(data.NewClock(9, 0), time.UTC)
	return data.Request{RequestDraft: d, SubmittedAt: submitted, Payment: pay, Status: status,
		DecidedBy: "generator", DecidedAt: submitted.Add(24 * time.Hour)}, true
}

// openDay picks a random weekday between first and last that is no closing
// day and fits ok, trying each day at most once.
func openDay(rng *rand.Rand, cal data.Calendar, first, last data.Date, ok func(data.Date) bool) (data.Date, bool) {
	n := first.DaysUntil(last) + 1
	for _, i := range rng.Perm(n) {
		d := first.AddDays(i)
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		if _, closed := cal.ClosedOn(d); closed || !ok(d) {
			continue
		}
		return d, true
	}
	return data.Date{}, false
}

func firstOfMonth(d data.Date) data.Date { return data.NewDate(d.Year, d.Month, 1) }

func latest(a, b data.Date) data.Date {
	if a.After(b) {
		return a
	}
	return b
}

func earliest(a, b data.Date) data.Date {
	if a.Before(b) {
		return a
	}
	return b
}
