package main

import (
	"time"

	"locatiedesk/data"
)

var studyDay = data.NewDate(2026, time.November, 25)

func studyDaySignUp(db *data.DB) error {
	if err := db.AddStudyDay(data.StudyDay{SchoolID: 1, Date: studyDay, Name: "Studiedag team"}); err != nil {
		return err
	}
	return db.RegisterSignUps(data.SignUpRegistration{LocationID: 1, SchoolID: 1, Date: studyDay, By: "Sanne",
		Children: []data.SignUpEntry{{ChildID: 3, Times: data.TimeRange{From: data.NewClock(8, 30), Until: data.NewClock(17, 0)}}}})
}
