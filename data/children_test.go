package data_test

import (
	"errors"
	"testing"
	"time"

	"locatiedesk/data"
)

func TestValidateContract_M2_ProductFitsGroupAndShape(t *testing.T) {
	kdv := data.Group{ID: 1, Name: "Egeltjes", Care: data.KDV}
	bso := data.Group{ID: 2, Name: "Uilen", Care: data.BSO}
	start := data.NewDate(2026, time.March, 2)
	care := func(p data.Product, g data.ID) data.Contract {
		return data.Contract{ChildID: 1, GroupID: g, Product: p, Start: start, Days: days(kdvTimes, time.Monday)}
	}
	for _, tc := range []struct {
		name  string
		c     data.Contract
		g     data.Group
		valid bool
	}{
		{"daycare in a KDV group", care(data.ProductKDV, 1), kdv, true},
		{"school weeks in a BSO group", care(data.ProductBSOSchoolWeeks, 2), bso, true},
		{"52 weeks in a BSO group", care(data.ProductBSO52Weeks, 2), bso, true},
		{"Qflexibel hours in a KDV group", data.Contract{GroupID: 1, Product: data.ProductQflexibel, Start: start, CreditHours: 40}, kdv, true},
		{"holiday days in a BSO group", data.Contract{GroupID: 2, Product: data.ProductBSOHoliday, Start: start, CreditDays: 10}, bso, true},
		{"daycare in a BSO group", care(data.ProductKDV, 2), bso, false},
		{"school weeks in a KDV group", care(data.ProductBSOSchoolWeeks, 1), kdv, false},
		{"Qflexibel in a BSO group", data.Contract{GroupID: 2, Product: data.ProductQflexibel, Start: start, CreditHours: 40}, bso, false},
		{"checked against another group", care(data.ProductKDV, 1), data.Group{ID: 3, Care: data.KDV}, false},
		{"unknown product", care("peuterspeelzaal", 1), kdv, false},
		{"ends before it starts", func() data.Contract { c := care(data.ProductKDV, 1); c.End = start.AddDays(-1); return c }(), kdv, false},
		{"no weekday", data.Contract{GroupID: 1, Product: data.ProductKDV, Start: start}, kdv, false},
		{"a weekday twice", func() data.Contract {
			c := care(data.ProductKDV, 1)
			c.Days = append(c.Days, c.Days[0])
			return c
		}(), kdv, false},
		{"care ends before it starts", func() data.Contract {
			c := care(data.ProductKDV, 1)
			c.Days[0].Times = data.TimeRange{From: data.NewClock(18, 0), Until: data.NewClock(7, 30)}
			return c
		}(), kdv, false},
		{"times on a credit product", data.Contract{GroupID: 2, Product: data.ProductBSOHoliday, Start: start, CreditDays: 10, Days: days(bsoTimes, time.Monday)}, bso, false},
		{"holiday contract without days", data.Contract{GroupID: 2, Product: data.ProductBSOHoliday, Start: start}, bso, false},
		{"negative Qflexibel hours", data.Contract{GroupID: 1, Product: data.ProductQflexibel, Start: start, CreditHours: -4}, kdv, false},
		{"credit on a care product", func() data.Contract { c := care(data.ProductKDV, 1); c.CreditHours = 10; return c }(), kdv, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := data.ValidateContract(tc.c, tc.g)
			if tc.valid && err != nil {
				t.Errorf("refused: %v", err)
			}
			if !tc.valid && !errors.Is(err, data.ErrInvalid) {
				t.Errorf("got %v, want ErrInvalid", err)
			}
		})
	}
}

func TestContractsOverlap_M2(t *testing.T) {
	mar, apr, may := data.NewDate(2026, time.March, 2), data.NewDate(2026, time.April, 1), data.NewDate(2026, time.May, 1)
	kdv := func(from, to data.Date, wds ...time.Weekday) data.Contract {
		return data.Contract{ChildID: 1, Product: data.ProductKDV, Start: from, End: to, Days: days(kdvTimes, wds...)}
	}
	credit := func(p data.Product, from, to data.Date) data.Contract {
		return data.Contract{ChildID: 1, Product: p, Start: from, End: to}
	}
	for _, tc := range []struct {
		name string
		a, b data.Contract
		want bool
	}{
		{"same weekday, open ends", kdv(mar, data.Date{}, time.Monday), kdv(apr, data.Date{}, time.Monday, time.Friday), true},
		{"same weekday, one ends before the other starts", kdv(mar, apr.AddDays(-1), time.Monday), kdv(apr, data.Date{}, time.Monday), false},
		{"same weekday, ends on the day the other starts", kdv(mar, apr, time.Monday), kdv(apr, data.Date{}, time.Monday), true},
		{"other weekdays", kdv(mar, data.Date{}, time.Monday), kdv(mar, data.Date{}, time.Tuesday), false},
		{"another child", kdv(mar, data.Date{}, time.Monday), func() data.Contract { c := kdv(mar, data.Date{}, time.Monday); c.ChildID = 2; return c }(), false},
		{"daycare beside Qflexibel", kdv(mar, data.Date{}, time.Monday), credit(data.ProductQflexibel, mar, data.Date{}), false},
		{"two Qflexibel contracts", credit(data.ProductQflexibel, mar, may), credit(data.ProductQflexibel, apr, data.Date{}), true},
		{"holiday contract beside 52 weeks", credit(data.ProductBSOHoliday, mar, may), data.Contract{ChildID: 1, Product: data.ProductBSO52Weeks, Start: apr, Days: days(bsoTimes, time.Monday)}, true},
		{"holiday contract beside school weeks", credit(data.ProductBSOHoliday, mar, may), data.Contract{ChildID: 1, Product: data.ProductBSOSchoolWeeks, Start: apr, Days: days(bsoTimes, time.Monday)}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := data.ContractsOverlap(tc.a, tc.b); got != tc.want {
				t.Errorf("ContractsOverlap(a, b) = %v, want %v", got, tc.want)
			}
			if got := data.ContractsOverlap(tc.b, tc.a); got != tc.want {
				t.Errorf("ContractsOverlap(b, a) = %v, want %v", got, tc.want)
			}
		})
	}
}
