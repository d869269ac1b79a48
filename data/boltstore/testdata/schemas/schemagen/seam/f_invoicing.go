package main

import (
	"time"

	"locatiedesk/data"
	"locatiedesk/data/boltstore"
)

// exportInvoicing bills November at the first location: the approved extra
// day and the study-day sign-up.
func exportInvoicing(db *boltstore.DB) error {
	_, err := db.ExportInvoicing(ctx, data.InvoiceSpec{From: data.NewDate(2026, time.November, 1), To: data.NewDate(2026, time.November, 30), LocationID: 1, By: "Marieke"}, nil)
	return err
}
