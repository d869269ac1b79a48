package data_test

import (
	"testing"
	"time"

	"locatiedesk/data"
)

// TestInvoiceSpec_F1_Validate: an export needs a period whose last day is
// not before its first; a period of one day is fine.
func TestInvoiceSpec_F1_Validate(t *testing.T) {
	march := func(day int) data.Date { return data.NewDate(2026, time.March, day) }
	for _, tt := range []struct {
		name     string
		from, to data.Date
		code     string
	}{
		{"AMonth", march(1), march(31), ""},
		{"OneDay", march(9), march(9), ""},
		{"NoFirstDay", data.Date{}, march(31), data.RefuseInvoiceNoPeriod},
		{"NoLastDay", march(1), data.Date{}, data.RefuseInvoiceNoPeriod},
		{"EndsTheDayBefore", march(9), march(8), data.RefuseInvoicePeriodReversed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := data.InvoiceSpec{From: tt.from, To: tt.to}.Validate()
			if got := refusalCode(err); got != tt.code || (tt.code == "") != (err == nil) {
				t.Errorf("%v, want code %q", err, tt.code)
			}
		})
	}
}
