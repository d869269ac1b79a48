package main

import (
	"time"

	"locatiedesk/data"
	"locatiedesk/data/boltstore"
)

var studyDay = data.NewDate(2026, time.November, 25)

func studyDaySignUp(db *boltstore.DB) error {
	if err := db.AddStudyDay(ctx, data.StudyDay{SchoolID: 1, Date: studyDay, Name: "Studiedag team"}); err != nil {
		return err
	}
	return db.RegisterSignUps(ctx, data.SignUpRegistration{LocationID: 1, SchoolID: 1, Date: studyDay, By: "Sanne",
		Children: []data.SignUpEntry{{ChildID: 3, Times: data.TimeRange{From: data.NewClock(8, 30), Until: data.NewClock(17, 0)}}}})
}
