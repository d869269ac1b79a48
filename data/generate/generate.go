// Package generate builds a synthetic organisation at scale for benchmarks
// and load checks: many locations, their groups, children and contracts of
// every kind, and years of attendance history. A fixed seed gives the same
// organisation every time.
package generate

import (
	"fmt"
	"math/rand/v2"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/demo"
)

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
// locations, groups, schools with holidays, public holidays, children and contracts.
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
				child.SchoolID = schools[c%2]
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
	return ds
}

// Generate seeds an empty store with the organisation and writes its history
// day by day in batches, calling progress after each batch.
func Generate(db *data.DB, o Options, progress func(day, days int)) error {
	if err := o.Validate(); err != nil {
		return err
	}
	ds := Organisation(o)
	if err := db.Seed(ds); err != nil {
		return err
	}
	children := map[data.ID]data.Child{}
	for _, c := range ds.Children {
		children[c.ID] = c
	}
	byGroup := map[data.ID][]data.Contract{}
	for _, c := range ds.Contracts {
		byGroup[c.GroupID] = append(byGroup[c.GroupID], c)
	}
	cal := data.Calendar{ClosingDays: ds.ClosingDays, Holidays: ds.Holidays}
	rng := rand.New(rand.NewPCG(o.Seed, 2))
	days := 365 * o.Years
	var batch []data.DayRecord
	for i := days; i >= 1; i-- {
		d := o.Today.AddDays(-i)
		for _, g := range ds.Groups {
			plan := data.PlanDay(d, g, byGroup[g.ID], nil, children, cal, ds.Settings)
			for _, e := range plan.Expected {
				batch = append(batch, data.DayRecord{Date: d, GroupID: g.ID, ChildID: e.ChildID, Attendance: record(rng, d, e.Times)})
			}
		}
		if len(batch) >= 50_000 || i == 1 {
			if err := db.ImportRecords(batch); err != nil {
				return err
			}
			batch = batch[:0]
			if progress != nil {
				progress(days-i+1, days)
			}
		}
	}
	return nil
}

// record is what staff would have recorded: mostly a check-in and check-out
// around the expected times, sometimes an absence.
func record(rng *rand.Rand, d data.Date, expected data.TimeRange) data.Attendance {
	at := d.Time(expected.Until, time.UTC)
	if rng.IntN(12) == 0 {
		return data.Attendance{Absent: true, AbsenceReason: data.AbsenceReasons[rng.IntN(len(data.AbsenceReasons))], UpdatedBy: "generator", UpdatedAt: at}
	}
	in := expected.From + data.Clock(rng.IntN(60))
	out := max(in+30, expected.Until-data.Clock(rng.IntN(90)))
	return data.Attendance{CheckIn: &in, CheckOut: &out, UpdatedBy: "generator", UpdatedAt: at}
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
