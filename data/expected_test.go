package data_test

import (
	"slices"
	"testing"
	"time"

	"locatiedesk/data"
)

// The week of Monday 9 to Sunday 15 March 2026 is an ordinary school week.
var (
	mon = data.NewDate(2026, time.March, 9)
	tue = mon.AddDays(1)
	wed = mon.AddDays(2)
	thu = mon.AddDays(3)
	fri = mon.AddDays(4)
	sat = mon.AddDays(5)
	sun = mon.AddDays(6)
)

var (
	groupKDV  = data.Group{ID: 1, LocationID: 1, Name: "Egeltjes", Care: data.KDV, Capacity: 12}
	groupKDV2 = data.Group{ID: 2, LocationID: 1, Name: "Vosjes", Care: data.KDV, Capacity: 12}
	groupBSO  = data.Group{ID: 3, LocationID: 1, Name: "Uilen", Care: data.BSO, Capacity: 20}
)

var (
	holidayTimes = data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(17, 45)} // not the default
)

var weekdaysAll = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}

func childMap(children ...data.Child) map[data.ID]data.Child {
	m := map[data.ID]data.Child{}
	for _, c := range children {
		m[c.ID] = c
	}
	return m
}

func expectedIDs(p data.DayPlan) []data.ID {
	var ids []data.ID
	for _, e := range p.Expected {
		ids = append(ids, e.ChildID)
	}
	return ids
}

func find(p data.DayPlan, id data.ID) (data.Expectation, bool) {
	for _, e := range p.Expected {
		if e.ChildID == id {
			return e, true
		}
	}
	return data.Expectation{}, false
}

func testSettings() data.Settings {
	s := data.DefaultSettings()
	s.HolidayDay = holidayTimes
	return s
}

func TestPlanDay_A1_KDVContractWeekdays(t *testing.T) {
	anna := data.Child{ID: 1, FirstName: "Anna", LastName: "Bakker"}
	contracts := []data.Contract{{ID: 1, ChildID: 1, GroupID: groupKDV.ID, Product: data.ProductKDV,
		Days: days(kdvTimes, time.Monday, time.Wednesday, time.Friday), Start: mon.AddDays(-100)}}
	tests := []struct {
		name     string
		d        data.Date
		expected bool
	}{
		{"monday is a contract day", mon, true},
		{"tuesday is not", tue, false},
		{"wednesday is a contract day", wed, true},
		{"thursday is not", thu, false},
		{"friday is a contract day", fri, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := data.PlanDay(tt.d, groupKDV, contracts, nil, childMap(anna), data.Calendar{}, testSettings())
			if p.Closed || p.Date != tt.d {
				t.Fatalf("plan = %+v, want an open list for %v", p, tt.d)
			}
			e, ok := find(p, anna.ID)
			if ok != tt.expected {
				t.Fatalf("expected = %v, want %v (plan %+v)", ok, tt.expected, p)
			}
			if len(p.Expected) != map[bool]int{true: 1, false: 0}[tt.expected] {
				t.Errorf("got %d expected children, want exactly the contract child", len(p.Expected))
			}
			if ok && (e.Times != kdvTimes || e.Source != data.SourceContract) {
				t.Errorf("expectation = %+v, want times %v from the contract", e, kdvTimes)
			}
		})
	}
}

func TestPlanDay_A1_KDVIgnoresSchoolHolidays(t *testing.T) {
	// A KDV child with a SchoolID (a sibling's school, say) is expected in that school's holiday.
	kid := data.Child{ID: 1, FirstName: "Sem", SchoolID: 7}
	contracts := []data.Contract{{ID: 1, ChildID: 1, GroupID: groupKDV.ID, Product: data.ProductKDV,
		Days: days(kdvTimes, weekdaysAll...), Start: mon.AddDays(-100)}}
	cal := data.Calendar{Holidays: []data.SchoolHoliday{{ID: 1, SchoolID: 7, Name: "Voorjaarsvakantie", From: sat.AddDays(-7), To: sun}}}
	p := data.PlanDay(tue, groupKDV, contracts, nil, childMap(kid), cal, testSettings())
	e, ok := find(p, kid.ID)
	if !ok || e.Times != kdvTimes {
		t.Errorf("KDV child in a school holiday: %+v, want expected with contract times", p)
	}
}

func TestPlanDay_A1_ContractStartAndEndMidWeek(t *testing.T) {
	kid := data.Child{ID: 5, FirstName: "Finn"}
	// Starts Wednesday 11 March, ends Wednesday 18 March, every weekday.
	start, end := wed, wed.AddDays(7)
	contracts := []data.Contract{{ID: 1, ChildID: kid.ID, GroupID: groupKDV.ID, Product: data.ProductKDV,
		Days: days(kdvTimes, weekdaysAll...), Start: start, End: end}}
	tests := []struct {
		name     string
		d        data.Date
		expected bool
	}{
		{"monday before start", mon, false},
		{"tuesday, day before start", tue, false},
		{"start day", start, true},
		{"thursday after start", thu, true},
		{"monday in between", mon.AddDays(7), true},
		{"end day", end, true},
		{"thursday, day after end", end.AddDays(1), false},
		{"a month later", end.AddDays(28), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := data.PlanDay(tt.d, groupKDV, contracts, nil, childMap(kid), data.Calendar{}, testSettings())
			if _, ok := find(p, kid.ID); ok != tt.expected {
				t.Errorf("%v (%v): expected = %v, want %v", tt.d, tt.d.Weekday(), ok, tt.expected)
			}
		})
	}
}

func TestPlanDay_A1_BSOHolidays(t *testing.T) {
	const schoolA, schoolB = data.ID(1), data.ID(2)
	lotte := data.Child{ID: 1, FirstName: "Lotte", SchoolID: schoolA} // school weeks, school A
	bram := data.Child{ID: 2, FirstName: "Bram", SchoolID: schoolB}   // school weeks, school B
	yara := data.Child{ID: 3, FirstName: "Yara", SchoolID: schoolA}   // 52 weeks, school A
	children := childMap(lotte, bram, yara)
	wedTimes := data.TimeRange{From: data.NewClock(12, 30), Until: data.NewClock(18, 30)}
	contractDays := append(days(bsoTimes, time.Monday, time.Tuesday, time.Thursday, time.Friday),
		data.ContractDay{Weekday: time.Wednesday, Times: wedTimes})
	contracts := []data.Contract{
		{ID: 1, ChildID: lotte.ID, GroupID: groupBSO.ID, Product: data.ProductBSOSchoolWeeks, Days: contractDays, Start: mon.AddDays(-200)},
		{ID: 2, ChildID: bram.ID, GroupID: groupBSO.ID, Product: data.ProductBSOSchoolWeeks, Days: contractDays, Start: mon.AddDays(-200)},
		{ID: 3, ChildID: yara.ID, GroupID: groupBSO.ID, Product: data.ProductBSO52Weeks, Days: contractDays, Start: mon.AddDays(-200)},
	}
	// School A has its spring holiday in the week of 9 March (Saturday to Sunday);
	// school B has a study day on Friday 13 March only.
	cal := data.Calendar{Holidays: []data.SchoolHoliday{
		{ID: 1, SchoolID: schoolA, Name: "Voorjaarsvakantie", From: mon.AddDays(-2), To: sun},
		{ID: 2, SchoolID: schoolB, Name: "Studiedag", From: fri, To: fri},
	}}
	type want struct {
		id    data.ID
		times data.TimeRange
	}
	tests := []struct {
		name string
		d    data.Date
		cal  data.Calendar
		want []want // in name order
	}{
		{"school week: everyone with contract times", mon, data.Calendar{},
			[]want{{bram.ID, bsoTimes}, {lotte.ID, bsoTimes}, {yara.ID, bsoTimes}}},
		{"school week wednesday: wednesday times", wed, data.Calendar{},
			[]want{{bram.ID, wedTimes}, {lotte.ID, wedTimes}, {yara.ID, wedTimes}}},
		{"holiday of school A: school-weeks child of A not expected, B expected, 52 weeks on holiday times", tue, cal,
			[]want{{bram.ID, bsoTimes}, {yara.ID, holidayTimes}}},
		{"holiday of school A on wednesday: 52 weeks gets holiday times, not wednesday times", wed, cal,
			[]want{{bram.ID, wedTimes}, {yara.ID, holidayTimes}}},
		{"both schools off: only the 52-weeks child", fri, cal,
			[]want{{yara.ID, holidayTimes}}},
		{"after the holiday: all back", mon.AddDays(7), cal,
			[]want{{bram.ID, bsoTimes}, {lotte.ID, bsoTimes}, {yara.ID, bsoTimes}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := data.PlanDay(tt.d, groupBSO, contracts, nil, children, tt.cal, testSettings())
			if p.Closed {
				t.Fatalf("closed on %v: %q", tt.d, p.ClosedReason)
			}
			var got []want
			for _, e := range p.Expected {
				if e.Source != data.SourceContract {
					t.Errorf("child %d source %q, want contract", e.ChildID, e.Source)
				}
				got = append(got, want{e.ChildID, e.Times})
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("%v: got %+v, want %+v", tt.d, got, tt.want)
			}
		})
	}
}

func TestPlanDay_A1_BSO52WeeksHolidayUsesSettings(t *testing.T) {
	yara := data.Child{ID: 3, FirstName: "Yara", SchoolID: 1}
	contracts := []data.Contract{{ID: 3, ChildID: yara.ID, GroupID: groupBSO.ID, Product: data.ProductBSO52Weeks,
		Days: days(bsoTimes, weekdaysAll...), Start: mon.AddDays(-200)}}
	cal := data.Calendar{Holidays: []data.SchoolHoliday{{ID: 1, SchoolID: 1, Name: "Zomervakantie", From: mon, To: fri}}}
	for _, hd := range []data.TimeRange{
		{From: data.NewClock(7, 30), Until: data.NewClock(18, 30)},
		{From: data.NewClock(8, 15), Until: data.NewClock(17, 0)},
	} {
		t.Run(hd.String(), func(t *testing.T) {
			s := data.DefaultSettings()
			s.HolidayDay = hd
			p := data.PlanDay(thu, groupBSO, contracts, nil, childMap(yara), cal, s)
			e, ok := find(p, yara.ID)
			if !ok || e.Times != hd {
				t.Errorf("got %+v (ok %v), want times %v from Settings.HolidayDay", e, ok, hd)
			}
		})
	}
}

func TestPlanDay_A1_ClosedDays(t *testing.T) {
	kid := data.Child{ID: 1, FirstName: "Anna"}
	contracts := []data.Contract{{ID: 1, ChildID: 1, GroupID: groupKDV.ID, Product: data.ProductKDV,
		Days:  days(kdvTimes, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday),
		Start: data.NewDate(2026, time.January, 1)}}
	extras := []data.Extra{{ChildID: 2, GroupID: groupKDV.ID, Date: data.NewDate(2026, time.April, 6), Times: kdvTimes, Source: data.SourceRequest}}
	children := childMap(kid, data.Child{ID: 2, FirstName: "Bram"})
	cal := data.Calendar{ClosingDays: data.PublicHolidays(2026)}
	tests := []struct {
		name   string
		d      data.Date
		reason string
	}{
		{"Tweede Paasdag (monday)", data.NewDate(2026, time.April, 6), "Tweede Paasdag"},
		{"Koningsdag (monday)", data.NewDate(2026, time.April, 27), "Koningsdag"},
		{"Hemelvaartsdag (thursday)", data.NewDate(2026, time.May, 14), "Hemelvaartsdag"},
		{"Eerste Kerstdag (friday)", data.NewDate(2026, time.December, 25), "Eerste Kerstdag"},
		{"saturday", sat, "weekend"},
		{"sunday", sun, "weekend"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := data.PlanDay(tt.d, groupKDV, contracts, extras, children, cal, testSettings())
			if !p.Closed || p.ClosedReason != tt.reason {
				t.Errorf("%v: Closed %v %q, want closed %q", tt.d, p.Closed, p.ClosedReason, tt.reason)
			}
			if len(p.Expected) != 0 {
				t.Errorf("%v: closed day has %d expected children, want none", tt.d, len(p.Expected))
			}
		})
	}
	t.Run("the day after Tweede Paasdag is open", func(t *testing.T) {
		p := data.PlanDay(data.NewDate(2026, time.April, 7), groupKDV, contracts, extras, children, cal, testSettings())
		if p.Closed || !slices.Equal(expectedIDs(p), []data.ID{1}) {
			t.Errorf("plan = %+v, want open with child 1", p)
		}
	})
}

func TestPlanDay_A1_ChildMovesGroup(t *testing.T) {
	noor := data.Child{ID: 9, FirstName: "Noor"}
	contracts := []data.Contract{
		{ID: 1, ChildID: noor.ID, GroupID: groupKDV.ID, Product: data.ProductKDV, Days: days(kdvTimes, weekdaysAll...), Start: mon.AddDays(-300), End: wed},
		{ID: 2, ChildID: noor.ID, GroupID: groupKDV2.ID, Product: data.ProductKDV, Days: days(kdvTimes, weekdaysAll...), Start: thu},
	}
	tests := []struct {
		name     string
		d        data.Date
		inA, inB bool
	}{
		{"tuesday: old group", tue, true, false},
		{"wednesday, last day in A", wed, true, false},
		{"thursday, first day in B", thu, false, true},
		{"next monday: new group", mon.AddDays(7), false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := data.PlanDay(tt.d, groupKDV, contracts, nil, childMap(noor), data.Calendar{}, testSettings())
			b := data.PlanDay(tt.d, groupKDV2, contracts, nil, childMap(noor), data.Calendar{}, testSettings())
			_, inA := find(a, noor.ID)
			_, inB := find(b, noor.ID)
			if inA != tt.inA || inB != tt.inB {
				t.Errorf("%v: in A %v, in B %v; want %v, %v", tt.d, inA, inB, tt.inA, tt.inB)
			}
			if inA && inB {
				t.Errorf("%v: child on two lists at once", tt.d)
			}
		})
	}
}

func TestPlanDay_A1_ExtrasPutChildOnList(t *testing.T) {
	anna := data.Child{ID: 1, FirstName: "Anna"}
	bram := data.Child{ID: 2, FirstName: "Bram", SchoolID: 1}
	cas := data.Child{ID: 3, FirstName: "Cas", SchoolID: 1}
	children := childMap(anna, bram, cas)
	reqTimes := data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(13, 0)}
	studyTimes := data.TimeRange{From: data.NewClock(8, 30), Until: data.NewClock(18, 0)}
	contracts := []data.Contract{{ID: 1, ChildID: anna.ID, GroupID: groupKDV.ID, Product: data.ProductKDV,
		Days: days(kdvTimes, time.Monday), Start: mon.AddDays(-10)}}
	extras := []data.Extra{
		// Anna has a contract on Monday and an approved request for Tuesday.
		{ChildID: anna.ID, GroupID: groupKDV.ID, Date: tue, Times: reqTimes, Source: data.SourceRequest},
		// ...and a request on Monday, a contract day: she must not appear twice.
		{ChildID: anna.ID, GroupID: groupKDV.ID, Date: mon, Times: reqTimes, Source: data.SourceRequest},
		// Bram signed up for his school's study day on Wednesday (BSO group).
		{ChildID: bram.ID, GroupID: groupBSO.ID, Date: wed, Times: studyTimes, Source: data.SourceStudyDay},
		// Cas has a request in another group: not on the KDV list.
		{ChildID: cas.ID, GroupID: groupBSO.ID, Date: tue, Times: reqTimes, Source: data.SourceRequest},
	}
	tests := []struct {
		name  string
		group data.Group
		d     data.Date
		want  []data.Expectation
	}{
		{"request on a non-contract day", groupKDV, tue,
			[]data.Expectation{{ChildID: anna.ID, Times: reqTimes, Source: data.SourceRequest}}},
		{"request on a contract day: once, as contract", groupKDV, mon,
			[]data.Expectation{{ChildID: anna.ID, Times: kdvTimes, Source: data.SourceContract}}},
		{"study-day sign-up", groupBSO, wed,
			[]data.Expectation{{ChildID: bram.ID, Times: studyTimes, Source: data.SourceStudyDay}}},
		{"extra only in its own group", groupBSO, tue,
			[]data.Expectation{{ChildID: cas.ID, Times: reqTimes, Source: data.SourceRequest}}},
		{"extra only on its own date", groupKDV, thu, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := data.PlanDay(tt.d, tt.group, contracts, extras, children, data.Calendar{}, testSettings())
			if !slices.Equal(p.Expected, tt.want) {
				t.Errorf("got %+v, want %+v", p.Expected, tt.want)
			}
		})
	}
	t.Run("study-day sign-up in a school holiday for a school-weeks child", func(t *testing.T) {
		cal := data.Calendar{Holidays: []data.SchoolHoliday{{ID: 1, SchoolID: 1, Name: "Studiedag", From: wed, To: wed}}}
		cs := []data.Contract{{ID: 5, ChildID: bram.ID, GroupID: groupBSO.ID, Product: data.ProductBSOSchoolWeeks,
			Days: days(bsoTimes, weekdaysAll...), Start: mon.AddDays(-10)}}
		p := data.PlanDay(wed, groupBSO, cs, extras, children, cal, testSettings())
		want := []data.Expectation{{ChildID: bram.ID, Times: studyTimes, Source: data.SourceStudyDay}}
		if !slices.Equal(p.Expected, want) {
			t.Errorf("got %+v, want %+v", p.Expected, want)
		}
	})
}

func TestPlanDay_A1_CreditContractsAloneNeverExpected(t *testing.T) {
	kid := data.Child{ID: 1, FirstName: "Eva", SchoolID: 1}
	cal := data.Calendar{Holidays: []data.SchoolHoliday{{ID: 1, SchoolID: 1, Name: "Meivakantie", From: mon, To: fri}}}
	tests := []struct {
		name  string
		group data.Group
		c     data.Contract
		d     data.Date
		cal   data.Calendar
	}{
		{"qflexibel with days", groupKDV, data.Contract{ID: 1, ChildID: 1, GroupID: groupKDV.ID, Product: data.ProductQflexibel,
			Days: days(kdvTimes, weekdaysAll...), Start: mon.AddDays(-10), CreditHours: 40}, tue, data.Calendar{}},
		{"qflexibel without days", groupKDV, data.Contract{ID: 1, ChildID: 1, GroupID: groupKDV.ID, Product: data.ProductQflexibel,
			Start: mon.AddDays(-10), CreditHours: 40}, tue, data.Calendar{}},
		{"holiday contract in a holiday", groupBSO, data.Contract{ID: 1, ChildID: 1, GroupID: groupBSO.ID, Product: data.ProductBSOHoliday,
			Days: days(bsoTimes, weekdaysAll...), Start: mon.AddDays(-10), CreditDays: 10}, tue, cal},
		{"holiday contract on a school day", groupBSO, data.Contract{ID: 1, ChildID: 1, GroupID: groupBSO.ID, Product: data.ProductBSOHoliday,
			Days: days(bsoTimes, weekdaysAll...), Start: mon.AddDays(-10), CreditDays: 10}, tue, data.Calendar{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := data.PlanDay(tt.d, tt.group, []data.Contract{tt.c}, nil, childMap(kid), tt.cal, testSettings())
			if p.Closed || len(p.Expected) != 0 {
				t.Errorf("plan = %+v, want an open, empty list", p)
			}
		})
	}
	t.Run("credit contract listed first does not hide the care contract", func(t *testing.T) {
		cs := []data.Contract{
			{ID: 1, ChildID: 1, GroupID: groupKDV.ID, Product: data.ProductQflexibel, Start: mon.AddDays(-10), CreditHours: 40},
			{ID: 2, ChildID: 1, GroupID: groupKDV.ID, Product: data.ProductKDV, Days: days(kdvTimes, time.Tuesday), Start: mon.AddDays(-10)},
		}
		p := data.PlanDay(tue, groupKDV, cs, nil, childMap(kid), data.Calendar{}, testSettings())
		want := []data.Expectation{{ChildID: 1, Times: kdvTimes, Source: data.SourceContract}}
		if !slices.Equal(p.Expected, want) {
			t.Errorf("got %+v, want %+v", p.Expected, want)
		}
	})
}

func TestPlanDay_A1_SortedByNameWithDiacritics(t *testing.T) {
	names := []struct{ first, last string }{
		{"Zoë", "de Vries"}, {"Łukasz", "Kowalski"}, {"Mila", "Bakker"}, {"Lars", "Jansen"},
		{"Ömer", "Yılmaz"}, {"Anna", "Smit"}, {"Luuk", "Visser"}, {"Anna", "Åberg"}, {"Oscar", "Bos"},
	}
	children := map[data.ID]data.Child{}
	var contracts []data.Contract
	for i, n := range names {
		id := data.ID(i + 1)
		children[id] = data.Child{ID: id, FirstName: n.first, LastName: n.last}
		contracts = append(contracts, data.Contract{ID: id, ChildID: id, GroupID: groupKDV.ID, Product: data.ProductKDV,
			Days: days(kdvTimes, time.Tuesday), Start: mon})
	}
	p := data.PlanDay(tue, groupKDV, contracts, nil, children, data.Calendar{}, testSettings())
	var got []string
	for _, e := range p.Expected {
		got = append(got, children[e.ChildID].Name())
	}
	want := []string{"Anna Åberg", "Anna Smit", "Lars Jansen", "Łukasz Kowalski", "Luuk Visser",
		"Mila Bakker", "Ömer Yılmaz", "Oscar Bos", "Zoë de Vries"}
	if !slices.Equal(got, want) {
		t.Errorf("order\n got  %q\n want %q", got, want)
	}
}

func TestEaster_A1_ClosingDays(t *testing.T) {
	tests := []struct {
		year int
		want data.Date
	}{
		{2024, data.NewDate(2024, time.March, 31)},
		{2025, data.NewDate(2025, time.April, 20)},
		{2026, data.NewDate(2026, time.April, 5)},
		{2027, data.NewDate(2027, time.March, 28)},
		{2038, data.NewDate(2038, time.April, 25)}, // the latest possible
		{2285, data.NewDate(2285, time.March, 22)}, // the earliest possible
	}
	for _, tt := range tests {
		t.Run(tt.want.String(), func(t *testing.T) {
			got := data.Easter(tt.year)
			if got != tt.want {
				t.Errorf("Easter(%d) = %v, want %v", tt.year, got, tt.want)
			}
			if got.Weekday() != time.Sunday {
				t.Errorf("Easter(%d) is a %v", tt.year, got.Weekday())
			}
		})
	}
}

func TestPublicHolidays_A1_ClosingDays(t *testing.T) {
	tests := []struct {
		year int
		want map[string]data.Date
	}{
		{2025, map[string]data.Date{
			"Nieuwjaarsdag":      data.NewDate(2025, time.January, 1),
			"Tweede Paasdag":     data.NewDate(2025, time.April, 21),
			"Koningsdag":         data.NewDate(2025, time.April, 26), // 27 April is a Sunday
			"Bevrijdingsdag":     data.NewDate(2025, time.May, 5),
			"Hemelvaartsdag":     data.NewDate(2025, time.May, 29),
			"Tweede Pinksterdag": data.NewDate(2025, time.June, 9),
			"Eerste Kerstdag":    data.NewDate(2025, time.December, 25),
			"Tweede Kerstdag":    data.NewDate(2025, time.December, 26),
		}},
		{2026, map[string]data.Date{
			"Nieuwjaarsdag":      data.NewDate(2026, time.January, 1),
			"Tweede Paasdag":     data.NewDate(2026, time.April, 6),
			"Koningsdag":         data.NewDate(2026, time.April, 27),
			"Hemelvaartsdag":     data.NewDate(2026, time.May, 14),
			"Tweede Pinksterdag": data.NewDate(2026, time.May, 25),
			"Eerste Kerstdag":    data.NewDate(2026, time.December, 25),
			"Tweede Kerstdag":    data.NewDate(2026, time.December, 26),
		}},
		{2027, map[string]data.Date{
			"Nieuwjaarsdag":      data.NewDate(2027, time.January, 1),
			"Tweede Paasdag":     data.NewDate(2027, time.March, 29),
			"Koningsdag":         data.NewDate(2027, time.April, 27),
			"Hemelvaartsdag":     data.NewDate(2027, time.May, 6),
			"Tweede Pinksterdag": data.NewDate(2027, time.May, 17),
			"Eerste Kerstdag":    data.NewDate(2027, time.December, 25),
			"Tweede Kerstdag":    data.NewDate(2027, time.December, 26),
		}},
		{2030, map[string]data.Date{
			"Nieuwjaarsdag":      data.NewDate(2030, time.January, 1),
			"Tweede Paasdag":     data.NewDate(2030, time.April, 22),
			"Koningsdag":         data.NewDate(2030, time.April, 27),
			"Bevrijdingsdag":     data.NewDate(2030, time.May, 5),
			"Hemelvaartsdag":     data.NewDate(2030, time.May, 30),
			"Tweede Pinksterdag": data.NewDate(2030, time.June, 10),
			"Eerste Kerstdag":    data.NewDate(2030, time.December, 25),
			"Tweede Kerstdag":    data.NewDate(2030, time.December, 26),
		}},
		{2031, map[string]data.Date{
			"Nieuwjaarsdag":      data.NewDate(2031, time.January, 1),
			"Tweede Paasdag":     data.NewDate(2031, time.April, 14),
			"Koningsdag":         data.NewDate(2031, time.April, 26), // 27 April is a Sunday
			"Hemelvaartsdag":     data.NewDate(2031, time.May, 22),
			"Tweede Pinksterdag": data.NewDate(2031, time.June, 2),
			"Eerste Kerstdag":    data.NewDate(2031, time.December, 25),
			"Tweede Kerstdag":    data.NewDate(2031, time.December, 26),
		}},
	}
	for _, tt := range tests {
		t.Run(time.Date(tt.year, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006"), func(t *testing.T) {
			got := map[string]data.Date{}
			for _, cd := range data.PublicHolidays(tt.year) {
				if _, dup := got[cd.Name]; dup {
					t.Errorf("%s twice", cd.Name)
				}
				got[cd.Name] = cd.Date
			}
			if len(got) != len(tt.want) {
				t.Errorf("got %d holidays %v, want %d", len(got), got, len(tt.want))
			}
			for name, d := range tt.want {
				if got[name] != d {
					t.Errorf("%s = %v, want %v", name, got[name], d)
				}
			}
		})
	}
}

func TestDayListCounts_A4_Figures(t *testing.T) {
	at := func(h, m int) *data.Clock { c := data.NewClock(h, m); return &c }
	row := func(a data.Attendance) data.DayRow { return data.DayRow{Attendance: a} }
	tests := []struct {
		name string
		rows []data.DayRow
		want data.Counts
	}{
		{"empty list", nil, data.Counts{}},
		{"all to come", []data.DayRow{row(data.Attendance{}), row(data.Attendance{Note: "komt later"})},
			data.Counts{Expected: 2, ToCome: 2}},
		{"mixed", []data.DayRow{
			row(data.Attendance{}),
			row(data.Attendance{CheckIn: at(7, 45)}),
			row(data.Attendance{CheckIn: at(7, 50), CheckOut: at(12, 0)}), // gone home: still counts as present
			row(data.Attendance{Absent: true, AbsenceReason: data.AbsenceSick}),
			row(data.Attendance{Absent: true, AbsenceReason: data.AbsenceDayOff}),
		}, data.Counts{Expected: 5, Present: 2, Absent: 2, ToCome: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := data.DayList{Rows: tt.rows}.Counts()
			if got != tt.want {
				t.Errorf("Counts() = %+v, want %+v", got, tt.want)
			}
			if got.Present+got.Absent+got.ToCome != got.Expected {
				t.Errorf("present+absent+toCome = %d, expected %d", got.Present+got.Absent+got.ToCome, got.Expected)
			}
		})
	}
}

func TestAttendanceStatus_A4(t *testing.T) {
	in, out := data.NewClock(8, 0), data.NewClock(17, 0)
	tests := []struct {
		name string
		a    data.Attendance
		want data.Status
	}{
		{"nothing recorded", data.Attendance{}, data.StatusToCome},
		{"checked in", data.Attendance{CheckIn: &in}, data.StatusPresent},
		{"checked out", data.Attendance{CheckIn: &in, CheckOut: &out}, data.StatusCheckedOut},
		{"absent", data.Attendance{Absent: true, AbsenceReason: data.AbsenceOther}, data.StatusAbsent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.Status(); got != tt.want {
				t.Errorf("Status() = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestPlanDay_A1_S1_StudyDayIsNoSchoolDay: on a study day there is no school,
// so a school-weeks child of that school is not expected by contract, only
// when signed up; a 52-weeks child comes a whole day as in a holiday; a child
// of another school is expected as on any school day.
func TestPlanDay_A1_S1_StudyDayIsNoSchoolDay(t *testing.T) {
	const wilgen, linde data.ID = 1, 2 // two schools
	cas := data.Child{ID: 1, FirstName: "Cas", SchoolID: wilgen}
	eva := data.Child{ID: 2, FirstName: "Eva", SchoolID: wilgen}
	finn := data.Child{ID: 3, FirstName: "Finn", SchoolID: linde}
	children := childMap(cas, eva, finn)
	contracts := []data.Contract{
		{ID: 1, ChildID: cas.ID, GroupID: groupBSO.ID, Product: data.ProductBSOSchoolWeeks, Days: days(bsoTimes, weekdaysAll...), Start: mon.AddDays(-100)},
		{ID: 2, ChildID: eva.ID, GroupID: groupBSO.ID, Product: data.ProductBSO52Weeks, Days: days(bsoTimes, weekdaysAll...), Start: mon.AddDays(-100)},
		{ID: 3, ChildID: finn.ID, GroupID: groupBSO.ID, Product: data.ProductBSOSchoolWeeks, Days: days(bsoTimes, weekdaysAll...), Start: mon.AddDays(-100)},
	}
	cal := data.Calendar{StudyDays: []data.StudyDay{{SchoolID: wilgen, Date: thu, Name: "Studiedag"}}}
	signUpTimes := data.TimeRange{From: data.NewClock(8, 30), Until: data.NewClock(16, 0)}
	signUp := []data.Extra{{ChildID: cas.ID, GroupID: groupBSO.ID, Date: thu, Times: signUpTimes, Source: data.SourceStudyDay}}

	tests := []struct {
		name   string
		d      data.Date
		extras []data.Extra
		want   []data.Expectation
	}{
		{"study day without sign-up", thu, nil, []data.Expectation{
			{ChildID: eva.ID, Times: holidayTimes, Source: data.SourceContract},
			{ChildID: finn.ID, Times: bsoTimes, Source: data.SourceContract},
		}},
		{"study day with Cas signed up", thu, signUp, []data.Expectation{
			{ChildID: cas.ID, Times: signUpTimes, Source: data.SourceStudyDay},
			{ChildID: eva.ID, Times: holidayTimes, Source: data.SourceContract},
			{ChildID: finn.ID, Times: bsoTimes, Source: data.SourceContract},
		}},
		{"the day after is a school day again", fri, nil, []data.Expectation{
			{ChildID: cas.ID, Times: bsoTimes, Source: data.SourceContract},
			{ChildID: eva.ID, Times: bsoTimes, Source: data.SourceContract},
			{ChildID: finn.ID, Times: bsoTimes, Source: data.SourceContract},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := data.PlanDay(tt.d, groupBSO, contracts, tt.extras, children, cal, testSettings())
			if !slices.Equal(p.Expected, tt.want) {
				t.Errorf("expected %+v\nwant %+v", p.Expected, tt.want)
			}
		})
	}
}
