package main

import "locatiedesk/data"

// Schema 5 adds absence credit and extra-care requests.
func prepare(ds *data.Dataset) { addUsers(ds) }
func extras(db *data.DB) error { return run(db, studyDaySignUp, recordConsent, requests) }
