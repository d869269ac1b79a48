package main

import "locatiedesk/data"

// Schema 7 adds invoicing export batches.
func prepare(ds *data.Dataset) { addUsers(ds) }
func extras(db *data.DB) error {
	return run(db, studyDaySignUp, recordConsent, requests, exportInvoicing)
}
