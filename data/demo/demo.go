// Package demo builds the demo location that a new install opens on: four
// groups, 64 children with names from many languages (and one who left last
// month), every contract kind, this school year's holidays and public
// holidays, some absences, a study day of one school with two children
// signed up, photo consent in every state, and the demo users.
//
// The dataset depends only on the date it is built for, so tests can rely on it.
package demo

import (
	"math/rand/v2"
	"time"

	"locatiedesk/data"
)

// Names of the demo's fixed parts, for tests and the README.
const (
	LocationName   = "De Vlinder"
	GroupBabies    = "Rupsjes"
	GroupToddlers  = "Vlindertjes"
	GroupBSOYoung  = "Avonturiers"
	GroupBSOOld    = "Ontdekkers"
	SchoolRegenbog = "OBS De Regenboog"
	SchoolJozef    = "Sint-Jozefschool"
	StudyDayName   = "Studiedag"
)

var firstNames = []string{
	"Zoë", "Daniël", "Łukasz", "Ayşe", "Noë", "Emma", "Sem", "Mila", "Finn", "Julia",
	"Noah", "Tess", "Lucas", "Sophie", "Levi", "Saar", "Milan", "Nora", "Liam", "Yara",
	"Mohammed", "Fatima", "Anouk", "Bram", "Chloë", "Jesse", "Lotte", "Daan", "Fleur", "Thijs",
	"Iris", "Ruben", "Sanne", "Joël", "Amélie", "Björn", "Eliška", "Mateo", "Ömer", "Siham",
	"Dewi", "Kiki", "Youssef", "Inès", "Jorien", "Ŝtefan", "Maëlle", "Hüseyin", "Ines", "Tijn",
	"Loïs", "Sven", "Nina", "Adam", "Roos", "Kaan", "Elif", "Jonas", "Maud", "Rayan",
	"Evi", "Gijs", "Hajar", "Oliwia",
}

var lastNames = []string{
	"de Vries", "Jansen", "Dvořák", "Kowalski", "Yılmaz", "Bakker", "van den Berg", "El Amrani",
	"Visser", "Smit", "Müller", "Nguyễn", "Öztürk", "García", "Meijer", "de Jong", "Mulder",
	"Bos", "Vos", "Peters", "Hendriks", "van Dijk", "Şahin", "Nowak", "Brouwer", "de Graaf",
}

// Build returns the demo dataset as it looks when opened on today.
func Build(today data.Date) data.Dataset {
	rng := rand.New(rand.NewPCG(2026, 11))
	ds := data.Dataset{
		Settings:  data.DefaultSettings(),
		Locations: []data.Location{{ID: 1, Name: LocationName}},
		Groups: []data.Group{
			{ID: 1, LocationID: 1, Name: GroupBabies, Care: data.KDV, Capacity: 12},
			{ID: 2, LocationID: 1, Name: GroupToddlers, Care: data.KDV, Capacity: 16},
			{ID: 3, LocationID: 1, Name: GroupBSOYoung, Care: data.BSO, Capacity: 20},
			{ID: 4, LocationID: 1, Name: GroupBSOOld, Care: data.BSO, Capacity: 22},
		},
		Schools: []data.School{
			{ID: 1, Name: SchoolRegenbog, Region: "midden"},
			{ID: 2, Name: SchoolJozef, Region: "midden"},
		},
	}
	for year := today.Year - 1; year <= today.Year+1; year++ {
		ds.ClosingDays = append(ds.ClosingDays, data.PublicHolidays(year)...)
	}
	for _, school := range ds.Schools {
		for _, h := range SchoolHolidays(today) {
			h.ID = data.ID(len(ds.Holidays) + 1)
			h.SchoolID = school.ID
			ds.Holidays = append(ds.Holidays, h)
		}
	}

	contractStart := today.AddDays(-400)
	addContract := func(c data.Contract) {
		c.ID = data.ID(len(ds.Contracts) + 1)
		if c.Start.IsZero() {
			c.Start = contractStart
		}
		ds.Contracts = append(ds.Contracts, c)
	}
	for i := range 64 {
		id := data.ID(i + 1)
		// Children 1–28 are daycare (0–4), 29–64 out-of-school care (4–12).
		ageDays := 200 + rng.IntN(1200)
		group := data.ID(1)
		if ageDays > 730 {
			group = 2
		}
		var school data.ID
		if i >= 28 {
			ageDays = 4*365 + 30 + rng.IntN(8*365-60)
			group = 3
			if ageDays > 7*365 {
				group = 4
			}
			school = data.ID(1 + i%2)
		}
		ds.Children = append(ds.Children, data.Child{
			ID: id, LocationID: 1,
			FirstName: firstNames[i], LastName: lastNames[(i*7)%len(lastNames)],
			BirthDate: today.AddDays(-ageDays), SchoolID: school,
		})
		days := weekdays(rng, 2+rng.IntN(3))
		switch {
		case i == 3: // moved up from the babies to the toddlers two weeks ago
			addContract(data.Contract{ChildID: id, GroupID: 1, Product: data.ProductKDV, Days: kdvDays(days), End: today.AddDays(-15)})
			addContract(data.Contract{ChildID: id, GroupID: 2, Product: data.ProductKDV, Days: kdvDays(days), Start: today.AddDays(-14)})
		case i < 28:
			addContract(data.Contract{ChildID: id, GroupID: group, Product: data.ProductKDV, Days: kdvDays(days)})
			if i%5 == 0 {
				addContract(data.Contract{ChildID: id, GroupID: group, Product: data.ProductQflexibel, CreditHours: 40})
			}
		default:
			product := data.ProductBSOSchoolWeeks
			if i%3 == 0 {
				product = data.ProductBSO52Weeks
			}
			addContract(data.Contract{ChildID: id, GroupID: group, Product: product, Days: bsoDays(days)})
			if product == data.ProductBSOSchoolWeeks && i%4 == 1 {
				addContract(data.Contract{ChildID: id, GroupID: group, Product: data.ProductBSOHoliday, CreditDays: 10})
			}
		}
	}
	// A newcomer starts next month, so the list grows on that date.
	ds.Contracts[len(ds.Contracts)-1].Start = today.AddDays(30)

	// A girl who went to school last month: her consent has ended with her care.
	leaver := data.ID(len(ds.Children) + 1)
	ds.Children = append(ds.Children, data.Child{ID: leaver, LocationID: 1, FirstName: "Jasmijn", LastName: "Çelik",
		BirthDate: today.AddDays(-4*365 - 40)})
	addContract(data.Contract{ChildID: leaver, GroupID: 2, Product: data.ProductKDV,
		Days: kdvDays([]time.Weekday{time.Monday, time.Thursday}), Start: today.AddDays(-600), End: today.AddDays(-31)})

	ds.Records = absences(rng, ds, today)
	ds.StudyDays, ds.SignUps = studyDay(ds, today)
	ds.Users = Users
	ds.Consents = consents(ds, today)
	return ds
}

// studyDay gives OBS De Regenboog a study day in the coming two weeks (or
// the first school day after a long holiday), with two children signed up.
func studyDay(ds data.Dataset, today data.Date) ([]data.StudyDay, []data.SignUp) {
	cal := data.Calendar{ClosingDays: ds.ClosingDays, Holidays: ds.Holidays}
	const school = data.ID(1)
	d := today.AddDays(8)
	for ; ; d = d.AddDays(1) {
		_, closed := cal.ClosedOn(d)
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday && !closed && !cal.IsSchoolHoliday(school, d) {
			break
		}
	}
	schoolOf := map[data.ID]data.ID{}
	for _, c := range ds.Children {
		schoolOf[c.ID] = c.SchoolID
	}
	times := []data.TimeRange{ds.Settings.HolidayDay, {From: data.NewClock(8, 30), Until: data.NewClock(17, 0)}}
	registered := today.Time(data.NewClock(8, 0), time.Local)
	var signUps []data.SignUp
	for _, c := range ds.Contracts {
		if len(signUps) == len(times) {
			break
		}
		if c.Product != data.ProductBSOSchoolWeeks || !c.Runs(d) || schoolOf[c.ChildID] != school {
			continue
		}
		signUps = append(signUps, data.SignUp{
			ID: data.ID(len(signUps) + 1), SchoolID: school, Date: d, ChildID: c.ChildID, GroupID: c.GroupID,
			Times: times[len(signUps)], RegisteredBy: "demo", RegisteredAt: registered, ChangedAt: registered,
		})
	}
	return []data.StudyDay{{SchoolID: school, Date: d, Name: StudyDayName}}, signUps
}

// Users are the demo's people, with the PINs the README lists.
var Users = []data.NewUser{
	{User: data.User{ID: 1, Name: "Marieke de Boer", Role: data.RoleManager, LocationIDs: []data.ID{1}}, Secret: "1234"},
	{User: data.User{ID: 2, Name: "Tess Janssen", Role: data.RoleStaff, GroupIDs: []data.ID{1, 2}}, Secret: "2222"},
	{User: data.User{ID: 3, Name: "Sven Öztürk", Role: data.RoleStaff, GroupIDs: []data.ID{3, 4}}, Secret: "3333"},
	{User: data.User{ID: 4, Name: "Priya Ramdin", Role: data.RoleOffice, LocationIDs: []data.ID{1}}, Secret: "planner2026"},
}

// Who records consent in the demo.
const (
	recordedByPortal = "ouderportaal (import)"
	recordedByOffice = "Marieke (locatiemanager)"
)

// consents gives most children an answer, by a fixed pattern so tests can
// rely on it: some no consent (a few after withdrawing), some portal only,
// most portal and public (a few after first saying portal only), and every
// ninth child not answered yet.
func consents(ds data.Dataset, today data.Date) []data.ConsentChange {
	var out []data.ConsentChange
	answer := func(child data.ID, level data.ConsentLevel, given data.Date, source data.ConsentSource) {
		by := recordedByOffice
		if source == data.ConsentFromParentApp {
			by = recordedByPortal
		}
		out = append(out, data.ConsentChange{ChildID: child, Level: level, Given: given, Source: source,
			RecordedBy: by, RecordedAt: given.Time(data.NewClock(10, 15), time.Local)})
	}
	for i, c := range ds.Children {
		first := today.AddDays(-395 + i%20) // soon after the contract started
		later := today.AddDays(-40 + i%25)
		switch {
		case i%9 == 4:
			// not answered: the office still has to chase these parents
		case i%7 == 2 && i%2 == 0:
			answer(c.ID, data.ConsentPortal, first, data.ConsentFromParentApp)
			answer(c.ID, data.ConsentNone, later, data.ConsentFromPhone) // withdrawn
		case i%7 == 2:
			answer(c.ID, data.ConsentNone, first, data.ConsentFromForm)
		case i%5 == 1:
			answer(c.ID, data.ConsentPortal, first, data.ConsentFromParentApp)
		case i%10 == 3:
			answer(c.ID, data.ConsentPortal, first, data.ConsentFromForm)
			answer(c.ID, data.ConsentPublic, later, data.ConsentFromParentApp)
		default:
			answer(c.ID, data.ConsentPublic, first, data.ConsentFromParentApp)
		}
	}
	return out
}

// SchoolHolidays are the region-midden holidays of the school year around
// today and the summer before it, by the usual pattern of the ministry's table.
func SchoolHolidays(today data.Date) []data.SchoolHoliday {
	startYear := today.Year
	if today.Month < time.August {
		startYear--
	}
	next := startYear + 1
	return []data.SchoolHoliday{
		weeks("Zomervakantie", mondayOfWeek(startYear, 29), 6),
		weeks("Herfstvakantie", mondayOfWeek(startYear, 43), 1),
		weeks("Kerstvakantie", mondayOfWeek(startYear, 52), 2),
		weeks("Voorjaarsvakantie", mondayOfWeek(next, 8), 1),
		weeks("Meivakantie", mondayOfWeek(next, 17), 2),
		weeks("Zomervakantie", mondayOfWeek(next, 29), 6),
	}
}

func weeks(name string, monday data.Date, n int) data.SchoolHoliday {
	// A holiday runs from the Saturday before to the Sunday at its end.
	return data.SchoolHoliday{Name: name, From: monday.AddDays(-2), To: monday.AddDays(7*n - 1)}
}

// mondayOfWeek returns the Monday of ISO week w of year.
func mondayOfWeek(year, w int) data.Date {
	jan4 := data.NewDate(year, time.January, 4)
	offset := (int(jan4.Weekday()) + 6) % 7 // days since Monday
	return jan4.AddDays(-offset + 7*(w-1))
}

func weekdays(rng *rand.Rand, n int) []time.Weekday {
	all := []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	return all[:n]
}

func kdvDays(days []time.Weekday) []data.ContractDay {
	out := make([]data.ContractDay, len(days))
	for i, d := range days {
		out[i] = data.ContractDay{Weekday: d, Times: data.TimeRange{From: data.NewClock(7, 30), Until: data.NewClock(18, 0)}}
	}
	return out
}

func bsoDays(days []time.Weekday) []data.ContractDay {
	out := make([]data.ContractDay, len(days))
	for i, d := range days {
		from := data.NewClock(15, 0)
		if d == time.Wednesday {
			from = data.NewClock(12, 30) // schools finish early on Wednesday
		}
		out[i] = data.ContractDay{Weekday: d, Times: data.TimeRange{From: from, Until: data.NewClock(18, 30)}}
	}
	return out
}

// absences puts some sick and day-off reports on the lists of today and the
// past two weeks, as a location has them; only on days the child is expected (A1).
func absences(rng *rand.Rand, ds data.Dataset, today data.Date) []data.DayRecord {
	children := map[data.ID]data.Child{}
	for _, c := range ds.Children {
		children[c.ID] = c
	}
	cal := data.Calendar{ClosingDays: ds.ClosingDays, Holidays: ds.Holidays}
	reasons := []data.AbsenceReason{data.AbsenceSick, data.AbsenceDayOff, data.AbsenceOther}
	var out []data.DayRecord
	for back := 14; back >= 0; back-- {
		d := today.AddDays(-back)
		for _, g := range ds.Groups {
			plan := data.PlanDay(d, g, ds.Contracts, nil, children, cal, ds.Settings)
			for _, e := range plan.Expected {
				if rng.IntN(12) != 0 {
					continue
				}
				reason := reasons[rng.IntN(len(reasons))]
				out = append(out, data.DayRecord{Date: d, GroupID: g.ID, ChildID: e.ChildID, Attendance: data.Attendance{
					Absent: true, AbsenceReason: reason, AbsenceText: absenceTexts[reason], Note: absenceNotes[reason],
					UpdatedBy: "demo", UpdatedAt: d.Time(data.NewClock(7, 45), time.Local),
				}})
			}
		}
	}
	return out
}

// absenceNotes are the notes staff write with an absence: who called and
// when, never what a child is ill with (no health data on the list).
var absenceNotes = map[data.AbsenceReason]string{
	data.AbsenceSick:   "Ziek gemeld, moeder belde om 7:40",
	data.AbsenceDayOff: "Dagje naar opa en oma",
	data.AbsenceOther:  "Afgemeld via de ouderapp",
}

// absenceTexts are the words given with another reason.
var absenceTexts = map[data.AbsenceReason]string{data.AbsenceOther: "Familiebezoek"}
