// Package generate builds a synthetic organisation at scale for benchmarks
// and load checks: many locations, their groups, children and contracts of
// every kind, photo consent, study days with sign-ups, and years of history:
// attendance, absences that earn credit, and extra-care requests in every
// state. A fixed seed gives the same organisation every time.
package generate

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/demo"
)

// Version names what the generator makes; a cached file made by another
// version is not the same organisation. Change it with every change of output.
const Version = "v4-study-day-decisions"

// The people who sign in: the manager of the first location, and a planner
// of the office who serves every location (user 2).
var Manager = data.NewUser{User: data.User{ID: 1, Name: "Beheerder Locatie 001", Role: data.RoleManager, LocationIDs: []data.ID{1}}, Secret: "1234"}

// PlannerPassword is the password of the office's planner, user 2.
const PlannerPassword = "planner-generated"

// Options size the organisation.
type Options struct {
	Locations           int
	ChildrenPerLocation int
	Years               int
	// Today is the last day of history; records run from Years before it to the day before.
	Today data.Date
	Seed  uint64
}

// Validate refuses sizes the generator cannot make sense of.
func (o Options) Validate() error {
	switch {
	case o.Locations < 1 || o.Locations > 500:
		return fmt.Errorf("%w: locations must be 1 to 500", data.ErrInvalid)
	case o.ChildrenPerLocation < 10 || o.ChildrenPerLocation > 1000:
		return fmt.Errorf("%w: children per location must be 10 to 1000", data.ErrInvalid)
	case o.Years < 0 || o.Years > 20:
		return fmt.Errorf("%w: years of history must be 0 to 20", data.ErrInvalid)
	case o.Today.IsZero():
		return fmt.Errorf("%w: no date to build the history up to", data.ErrInvalid)
	}
	return nil
}

// groupsPerLocation: three daycare and three out-of-school groups, as a
// location of 150 children has them.
var groupNames = []struct {
	name string
	care data.CareType
}{{"Rupsjes", data.KDV}, {"Vlindertjes", data.KDV}, {"Kikkers", data.KDV}, {"Avonturiers", data.BSO}, {"Ontdekkers", data.BSO}, {"Bikkels", data.BSO}}

// Organisation builds the organisation without its history: settings,
// locations, groups, schools with holidays, public holidays, children and
// contracts, photo consent, study days with sign-ups, and two users.
func Organisation(o Options) data.Dataset {
	rng := rand.New(rand.NewPCG(o.Seed, 1))
	ds := data.Dataset{Settings: data.DefaultSettings()}
	first := o.Today.AddDays(-365*o.Years - 30)
	for year := first.Year; year <= o.Today.Year+1; year++ {
		ds.ClosingDays = append(ds.ClosingDays, data.PublicHolidays(year)...)
	}
	for l := range o.Locations {
		locID := data.ID(l + 1)
		ds.Locations = append(ds.Locations, data.Location{ID: locID, Name: fmt.Sprintf("Locatie %03d", l+1)})
		var kdv, bso []data.ID
		for _, g := range groupNames {
			id := data.ID(len(ds.Groups) + 1)
			ds.Groups = append(ds.Groups, data.Group{ID: id, LocationID: locID, Name: g.name, Care: g.care, Capacity: 30})
			if g.care == data.KDV {
				kdv = append(kdv, id)
			} else {
				bso = append(bso, id)
			}
		}
		schools := []data.ID{data.ID(len(ds.Schools) + 1), data.ID(len(ds.Schools) + 2)}
		for i, id := range schools {
			ds.Schools = append(ds.Schools, data.School{ID: id, Name: fmt.Sprintf("School %d-%d", l+1, i+1)})
			for y := first.Year; y <= o.Today.Year; y++ {
				for _, h := range demo.SchoolHolidays(data.NewDate(y, time.September, 1)) {
					h.ID, h.SchoolID = data.ID(len(ds.Holidays)+1), id
					ds.Holidays = append(ds.Holidays, h)
				}
			}
		}
		// Children who left during the history come on top of today's children.
		total := o.ChildrenPerLocation + o.ChildrenPerLocation*o.Years/4
		for c := range total {
			childID := data.ID(len(ds.Children) + 1)
			bsoChild := c%2 == 1
			child := data.Child{ID: childID, LocationID: locID, FirstName: firstNames[rng.IntN(len(firstNames))], LastName: lastNames[rng.IntN(len(lastNames))]}
			contract := data.Contract{ID: data.ID(len(ds.Contracts) + 1), ChildID: childID, Days: days(rng)}
			contract.Start = o.Today.AddDays(-rng.IntN(365*o.Years + 30))
			if c >= o.ChildrenPerLocation { // left again before today
				contract.End = contract.Start.AddDays(rng.IntN(max(1, contract.Start.DaysUntil(o.Today))))
			}
			if bsoChild {
				child.SchoolID = schools[c/2%2]
				child.BirthDate = o.Today.AddDays(-(5*365 + rng.IntN(6*365)))
				contract.GroupID = bso[rng.IntN(len(bso))]
				contract.Product = data.ProductBSOSchoolWeeks
				if c%3 == 0 {
					contract.Product = data.ProductBSO52Weeks
				}
				setTimes(contract.Days, data.NewClock(15, 0), data.NewClock(18, 30))
			} else {
				child.BirthDate = o.Today.AddDays(-(100 + rng.IntN(3*365)))
				contract.GroupID = kdv[rng.IntN(len(kdv))]
				contract.Product = data.ProductKDV
				setTimes(contract.Days, data.NewClock(7, 30), data.NewClock(18, 0))
			}
			ds.Children = append(ds.Children, child)
			ds.Contracts = append(ds.Contracts, contract)
			if c%7 == 0 { // flexible credit contracts alongside
				flex := data.Contract{ID: data.ID(len(ds.Contracts) + 1), ChildID: childID, GroupID: contract.GroupID, Start: contract.Start, End: contract.End}
				if bsoChild {
					flex.Product, flex.CreditDays = data.ProductBSOHoliday, 10
				} else {
					flex.Product, flex.CreditHours = data.ProductQflexibel, 40
				}
				ds.Contracts = append(ds.Contracts, flex)
			}
		}
	}
	planner := data.NewUser{User: data.User{ID: 2, Name: "Planner", Role: data.RoleOffice}, Secret: PlannerPassword}
	for _, l := range ds.Locations {
		planner.LocationIDs = append(planner.LocationIDs, l.ID)
	}
	ds.Users = []data.NewUser{Manager, planner}
	ds.Consents = consents(rng, ds, o.Today)
	ds.StudyDays, ds.SignUps = termStudyDays(rng, ds, first, o.Today)
	letStudyDaysGoAhead(&ds, o.Today)
	return ds
}

// letStudyDaysGoAhead records, for every study day gone by whose sign-ups at
// a location stayed below the minimum, that the planner let care go ahead
// (S2), as the history's sign-ups were given care and are billed. The
// study days to come wait for the planner, as they would.
func letStudyDaysGoAhead(ds *data.Dataset, today data.Date) {
	locationOf := map[data.ID]data.ID{}
	for _, g := range ds.Groups {
		locationOf[g.ID] = g.LocationID
	}
	type place struct {
		school   data.ID
		date     data.Date
		location data.ID
	}
	count := map[place]int{}
	for _, su := range ds.SignUps {
		count[place{su.SchoolID, su.Date, locationOf[su.GroupID]}]++
	}
	for p, n := range count {
		if !p.date.Before(today) || data.StudyDayStateOf(n, ds.Settings.StudyDayMinimum, "") != data.StateBelowMinimum {
			continue
		}
		i := slices.IndexFunc(ds.StudyDays, func(sd data.StudyDay) bool { return sd.SchoolID == p.school && sd.Date == p.date })
		if i < 0 || slices.ContainsFunc(ds.StudyDays[i].Decisions, func(d data.StudyDayDecision) bool { return d.LocationID == p.location }) {
			continue
		}
		ds.StudyDays[i].Decisions = append(ds.StudyDays[i].Decisions, data.StudyDayDecision{LocationID: p.location,
			Outcome: data.OutcomeGoesAhead, By: "generator", At: p.date.AddDays(-2).Time(data.NewClock(12, 0), time.UTC)})
	}
	// Map order must not decide the file: decisions by location.
	for i := range ds.StudyDays {
		slices.SortFunc(ds.StudyDays[i].Decisions, func(a, b data.StudyDayDecision) int { return cmp.Compare(a.LocationID, b.LocationID) })
	}
}

// consents gives most children a photo-consent answer from when their care
// began, some a later change of mind, and every ninth none yet (C1).
func consents(rng *rand.Rand, ds data.Dataset, today data.Date) []data.ConsentChange {
	start := map[data.ID]data.Date{}
	for _, c := range ds.Contracts {
		if s, ok := start[c.ChildID]; !ok || c.Start.Before(s) {
			start[c.ChildID] = c.Start
		}
	}
	var out []data.ConsentChange
	answer := func(child data.ID, level data.ConsentLevel, given data.Date, source data.ConsentSource) {
		out = append(out, data.ConsentChange{ChildID: child, Level: level, Given: given, Source: source,
			RecordedBy: "generator", RecordedAt: given.Time(data.NewClock(10, 0), time.UTC)})
	}
	for i, c := range ds.Children {
		if i%9 == 4 {
			continue
		}
		given := start[c.ID]
		answer(c.ID, data.ConsentAnswers[rng.IntN(len(data.ConsentAnswers))], given, data.ConsentFromParentApp)
		if later := given.AddDays(30 + rng.IntN(400)); i%6 == 1 && !later.After(today) {
			answer(c.ID, data.ConsentAnswers[rng.IntN(len(data.ConsentAnswers))], later, data.ConsentSources[rng.IntN(len(data.ConsentSources))])
		}
	}
	return out
}

// termStudyDays gives every school three study days a school year through the
// history and one in the coming weeks, and signs up about a third of the
// school's BSO school-weeks children in care that day (S1).
func termStudyDays(rng *rand.Rand, ds data.Dataset, first, today data.Date) ([]data.StudyDay, []data.SignUp) {
	cal := data.Calendar{ClosingDays: ds.ClosingDays, Holidays: ds.Holidays}
	schoolDay := func(school data.ID, d data.Date) data.Date {
		for ; ; d = d.AddDays(1) {
			_, closed := cal.ClosedOn(d)
			if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday && !closed && !cal.IsSchoolHoliday(school, d) {
				return d
			}
		}
	}
	schoolOf := map[data.ID]data.ID{}
	for _, c := range ds.Children {
		schoolOf[c.ID] = c.SchoolID
	}
	var days []data.StudyDay
	var signUps []data.SignUp
	for _, school := range ds.Schools {
		var dates []data.Date
		for y := first.Year - 1; y <= today.Year; y++ {
			for _, d := range []data.Date{data.NewDate(y, time.October, 6), data.NewDate(y+1, time.February, 3), data.NewDate(y+1, time.June, 9)} {
				d = schoolDay(school.ID, d.AddDays(rng.IntN(14)))
				if !d.Before(first) && d.Before(today) && !slices.Contains(dates, d) {
					dates = append(dates, d)
				}
			}
		}
		dates = append(dates, schoolDay(school.ID, today.AddDays(8+rng.IntN(7))))
		for _, d := range dates {
			days = append(days, data.StudyDay{SchoolID: school.ID, Date: d, Name: "Studiedag"})
			registered := d.AddDays(-7)
			if registered.After(today) {
				registered = today.AddDays(-1)
			}
			registeredAt := registered.Time(data.NewClock(16, 0), time.UTC)
			for _, c := range ds.Contracts {
				if c.Product != data.ProductBSOSchoolWeeks || !c.Runs(d) || schoolOf[c.ChildID] != school.ID || rng.IntN(3) != 0 {
					continue
				}
				times := ds.Settings.HolidayDay
				if rng.IntN(2) == 0 {
					times = data.TimeRange{From: data.NewClock(8, 30), Until: data.NewClock(17, 0)}
				}
				signUps = append(signUps, data.SignUp{ID: data.ID(len(signUps) + 1), SchoolID: school.ID, Date: d,
					ChildID: c.ChildID, GroupID: c.GroupID, Times: times, RegisteredBy: "generator", RegisteredAt: registeredAt, ChangedAt: registeredAt})
			}
		}
	}
	return days, signUps
}

func days(rng *rand.Rand) []data.ContractDay {
	all := []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	n := 2 + rng.IntN(3)
	out := make([]data.ContractDay, n)
	for i := range n {
		out[i].Weekday = all[i]
	}
	return out
}

func setTimes(days []data.ContractDay, from, until data.Clock) {
	for i := range days {
		days[i].Times = data.TimeRange{From: from, Until: until}
	}
}

var firstNames = []string{"Emma", "Noah", "Zoë", "Daniël", "Łukasz", "Ayşe", "Noë", "Sem", "Mila", "Finn", "Julia", "Liam", "Yara", "Mohammed", "Fatima", "Chloë", "Joël", "Amélie", "Ömer", "Maëlle"}
var lastNames = []string{"de Vries", "Jansen", "Dvořák", "Kowalski", "Yılmaz", "Bakker", "van den Berg", "El Amrani", "Nguyễn", "Öztürk", "Şahin", "Müller"}
