package main

import "locatiedesk/data"

// Schema 6 indexes attendance by child; the data is that of schema 5.
func prepare(ds *data.Dataset) { addUsers(ds) }
func extras(db *data.DB) error { return run(db, studyDaySignUp, recordConsent, requests) }
