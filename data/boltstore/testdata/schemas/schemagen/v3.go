package main

import "locatiedesk/data"

// Schema 3 adds users (and an audit log nothing writes yet).
func prepare(ds *data.Dataset) { addUsers(ds) }
func extras(db *data.DB) error { return run(db, studyDaySignUp) }
