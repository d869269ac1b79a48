package data_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"locatiedesk/data"
)

func TestCheckHolidayContractDeadline_V2(t *testing.T) {
	// Meivakantie 2026 starts on Saturday 18 April: five weeks before is Saturday 14 March.
	may := data.SchoolHoliday{ID: 1, SchoolID: 1, Name: "Meivakantie", From: data.NewDate(2026, time.April, 18), To: data.NewDate(2026, time.May, 3)}
	tests := []struct {
		name         string
		weeks        int
		today        data.Date
		wantDeadline data.Date
		tooLate      bool
	}{
		{"a month before the deadline", 5, data.NewDate(2026, time.February, 14), data.NewDate(2026, time.March, 14), false},
		{"the day before the deadline", 5, data.NewDate(2026, time.March, 13), data.NewDate(2026, time.March, 14), false},
		{"on the deadline", 5, data.NewDate(2026, time.March, 14), data.NewDate(2026, time.March, 14), false},
		{"the day after the deadline", 5, data.NewDate(2026, time.March, 15), data.NewDate(2026, time.March, 14), true},
		{"in the holiday", 5, data.NewDate(2026, time.April, 20), data.NewDate(2026, time.March, 14), true},
		{"an organisation asking six weeks", 6, data.NewDate(2026, time.March, 8), data.NewDate(2026, time.March, 7), true},
		{"an organisation asking nothing ahead", 0, data.NewDate(2026, time.April, 18), data.NewDate(2026, time.April, 18), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := data.DefaultSettings()
			s.HolidayContractWeeks = tt.weeks
			if got := data.HolidayContractDeadline(may, s); got != tt.wantDeadline {
				t.Errorf("deadline %v, want %v", got, tt.wantDeadline)
			}
			err := data.CheckHolidayContractDeadline(tt.today, may, s)
			if (err != nil) != tt.tooLate {
				t.Fatalf("error %v, want too late %v", err, tt.tooLate)
			}
			if !tt.tooLate {
				return
			}
			var de *data.DeadlineError
			if !errors.Is(err, data.ErrTooLate) || !errors.As(err, &de) || de.Deadline != tt.wantDeadline {
				t.Errorf("error %v is not a DeadlineError for %v", err, tt.wantDeadline)
			}
			if !strings.Contains(err.Error(), tt.wantDeadline.String()) {
				t.Errorf("message %q does not name the deadline %v", err, tt.wantDeadline)
			}
		})
	}
}

// TestDeadlineError_V2_CarriesItsRefusal: a screen or a network client
// reads the late holiday contract as a code with the holiday and the day.
func TestDeadlineError_V2_CarriesItsRefusal(t *testing.T) {
	may := data.SchoolHoliday{ID: 1, SchoolID: 1, Name: "meivakantie", From: data.NewDate(2026, time.April, 18), To: data.NewDate(2026, time.May, 3)}
	err := data.CheckHolidayContractDeadline(data.NewDate(2026, time.March, 15), may, data.DefaultSettings())
	var r *data.Refusal
	if !errors.As(err, &r) || r.Code != data.RefuseHolidayTooLate || r.Args["Date"] != data.NewDate(2026, time.March, 14) || r.Args["Holiday"] != "meivakantie" {
		t.Fatalf("refusal %+v of %v", r, err)
	}
	if want := "Too late: a holiday contract for the meivakantie (from 2026-04-18) had to be arranged by 2026-03-14."; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
}

func TestNewHolidayContract_V2(t *testing.T) {
	h := data.SchoolHoliday{From: data.NewDate(2026, time.October, 17), To: data.NewDate(2026, time.October, 25)}
	child := data.Child{ID: 1, FirstName: "Sem", LastName: "Jansen"}
	r := data.HolidayContractRequest{ChildID: 1, CreditDays: 10}
	weeks := data.Contract{ChildID: 1, GroupID: 5, Product: data.ProductBSOSchoolWeeks, Start: data.NewDate(2025, time.August, 1)}
	c, err := data.NewHolidayContract(r, child, h, []data.Contract{{ChildID: 2, GroupID: 9, Product: data.ProductBSO52Weeks, Start: h.From}, weeks})
	want := data.Contract{ChildID: 1, GroupID: 5, Product: data.ProductBSOHoliday, Start: h.From, End: data.NewDate(2027, time.October, 16), CreditDays: 10}
	if err != nil || !reflect.DeepEqual(c, want) {
		t.Fatalf("contract %+v, %v; want %+v", c, err, want)
	}
	if got := data.HolidayContractChange(data.Contract{ID: 4, ChildID: 1, CreditDays: 10}); got.ChildID != 1 || got.Detail != "holiday contract 4: 10 days" {
		t.Errorf("change %+v", got)
	}
	fiftyTwo := weeks
	fiftyTwo.Product = data.ProductBSO52Weeks
	earlier := data.Contract{ChildID: 1, Product: data.ProductBSOHoliday, Start: h.From.AddDays(-60), End: h.From.AddDays(300)}
	ended := weeks
	ended.End = h.From.AddDays(-1)
	for _, tt := range []struct {
		name      string
		contracts []data.Contract
		want      string
	}{
		{"52 weeks", []data.Contract{fiftyTwo}, data.RefuseHoliday52Weeks},
		{"one a year", []data.Contract{weeks, earlier}, data.RefuseHolidayContractExists},
		{"no school weeks", nil, data.RefuseHolidayNoSchoolWeeks},
		{"school weeks ended", []data.Contract{ended}, data.RefuseHolidayNoSchoolWeeks},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := data.NewHolidayContract(r, child, h, tt.contracts)
			refusedWith(t, err, tt.want)
		})
	}
}

func TestHolidayCovers_V2(t *testing.T) {
	h := data.SchoolHoliday{From: data.NewDate(2026, time.October, 17), To: data.NewDate(2026, time.October, 25)}
	start := h.From.AddDays(-30)
	groups, cover := data.HolidayCovers(h, []data.Contract{
		{ChildID: 1, GroupID: 5, Product: data.ProductBSOSchoolWeeks, Start: start},
		{ChildID: 1, Product: data.ProductBSOHoliday, Start: h.From},
		{ChildID: 2, GroupID: 5, Product: data.ProductBSOSchoolWeeks, Start: start},
		{ChildID: 3, GroupID: 6, Product: data.ProductBSOSchoolWeeks, Start: start},
		{ChildID: 3, GroupID: 6, Product: data.ProductBSO52Weeks, Start: start},
		{ChildID: 4, GroupID: 6, Product: data.ProductBSOSchoolWeeks, Start: start, End: h.From.AddDays(-1)},
	})
	data.BookedHoliday(cover, 1)
	data.BookedHoliday(cover, 2)
	if want := map[data.ID]data.ID{1: 5, 2: 5}; !reflect.DeepEqual(groups, want) {
		t.Errorf("groups %v, want %v (52 weeks and ended left out)", groups, want)
	}
	if cover[1] != data.CoverContract || cover[2] != data.CoverBooking {
		t.Errorf("cover %v, want 1 by contract, 2 by booking", cover)
	}
	o := data.HolidayOverview{Children: []data.HolidayChild{
		{Child: data.Child{FirstName: "Bo"}, Cover: data.CoverContract},
		{Child: data.Child{FirstName: "Sem"}},
		{Child: data.Child{FirstName: "Anna"}, Cover: data.CoverBooking},
		{Child: data.Child{FirstName: "Daan"}},
	}}
	o.SortChildren()
	var names []string
	for _, c := range o.Children {
		names = append(names, c.Child.FirstName)
	}
	if want := []string{"Daan", "Sem", "Anna", "Bo"}; !reflect.DeepEqual(names, want) {
		t.Errorf("order %v, want %v (uncovered first, then by name)", names, want)
	}
}
