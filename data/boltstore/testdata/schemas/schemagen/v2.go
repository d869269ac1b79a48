package main

import "locatiedesk/data"

// Schema 2 adds study days and sign-ups.
func prepare(ds *data.Dataset) {}
func extras(db *data.DB) error { return run(db, studyDaySignUp) }
