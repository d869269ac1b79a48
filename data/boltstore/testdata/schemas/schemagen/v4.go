package main

import "locatiedesk/data"

// Schema 4 adds photo consent.
func prepare(ds *data.Dataset) { addUsers(ds) }
func extras(db *data.DB) error { return run(db, studyDaySignUp, recordConsent) }
