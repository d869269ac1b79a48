package main

import (
	"time"

	"locatiedesk/data"
)

// exportInvoicing bills November at the first location: the approved extra
// day and the study-day sign-up.
func exportInvoicing(db *data.DB) error {
	_, err := db.ExportInvoicing(data.InvoiceSpec{From: data.NewDate(2026, time.November, 1), To: data.NewDate(2026, time.November, 30), LocationID: 1, By: "Marieke"}, nil)
	return err
}
