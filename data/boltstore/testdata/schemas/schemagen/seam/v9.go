package main

import (
	"locatiedesk/data"
	"locatiedesk/data/boltstore"
)

// Schema 9 indexes children by their planning-system number; the store is
// package boltstore behind data.Store, and schema 10 adds the keys of
// applied writes.
func prepare(ds *data.Dataset) {
	addUsers(ds)
	for i, number := range []string{"K-101", "K-102", "B-201"} {
		ds.Children[i].Number = number
	}
}

func extras(db *boltstore.DB) error {
	return run(db, studyDaySignUp, studyDayGoesAhead, recordConsent, requests, exportInvoicing)
}

// studyDayGoesAhead: since the study-day minimum (S2), a study day below it
// bills only once the planner decided it goes ahead.
func studyDayGoesAhead(db *boltstore.DB) error {
	return db.DecideStudyDay(ctx, 1, 1, studyDay, data.OutcomeGoesAhead, "Marieke")
}
