package main

import (
	"time"

	"locatiedesk/data"
	"locatiedesk/data/boltstore"
)

// requests: Daniël reports Wednesday off ahead (absence credit) and gets an
// extra Thursday paid from it, approved; Zoë asks for an extra Wednesday
// from her flexible hours, still open.
func requests(db *boltstore.DB) error {
	wednesday, thursday := data.NewDate(2026, time.November, 18), data.NewDate(2026, time.November, 19)
	if _, err := db.ReportAbsence(ctx, data.AbsenceReport{ChildID: 2, Date: wednesday, Reason: data.AbsenceDayOff, By: "Sanne"}); err != nil {
		return err
	}
	day := data.TimeRange{From: data.NewClock(7, 30), Until: data.NewClock(18, 0)}
	submit := func(d data.RequestDraft) (data.Request, error) {
		p, err := db.PreviewRequest(ctx, d)
		if err != nil {
			return data.Request{}, err
		}
		if p.Problem != nil {
			return data.Request{}, p.Problem
		}
		return db.SubmitRequest(ctx, d, p.Proposal.Payment)
	}
	r, err := submit(data.RequestDraft{ChildID: 2, GroupID: 1, Date: thursday, Times: day, Product: data.ProductKDV, Channel: data.ChannelGroup, By: "Sanne"})
	if err != nil {
		return err
	}
	if err := db.ApproveRequest(ctx, r.ID, "Marieke"); err != nil {
		return err
	}
	_, err = submit(data.RequestDraft{ChildID: 1, GroupID: 1, Date: wednesday, Times: day, Product: data.ProductQflexibel, Channel: data.ChannelGroup, By: "Sanne"})
	return err
}
