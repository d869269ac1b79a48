package main

import (
	"time"

	"locatiedesk/data"
	"locatiedesk/data/boltstore"
)

// recordConsent: Zoë's parents answered twice (portal, later public), Ayşe's once (none).
func recordConsent(db *boltstore.DB) error {
	for _, c := range []data.ConsentChange{
		{ChildID: 1, Level: data.ConsentPortal, Given: data.NewDate(2026, time.September, 1), Source: data.ConsentFromForm, RecordedBy: "Marieke"},
		{ChildID: 1, Level: data.ConsentPublic, Given: data.NewDate(2026, time.November, 10), Source: data.ConsentFromParentApp, RecordedBy: "Marieke"},
		{ChildID: 3, Level: data.ConsentNone, Given: data.NewDate(2026, time.October, 2), Source: data.ConsentFromPhone, RecordedBy: "Sanne", Note: "liever niet"},
	} {
		if err := db.RecordConsent(ctx, c); err != nil {
			return err
		}
	}
	return nil
}
