package ui

import (
	"fyne.io/fyne/v2"

	"locatiedesk/data"
)

// follow subscribes a screen to the store's changes from now on, until the
// screen's context ends or it calls stop. When the store cannot follow (its
// connection is down) the screen keeps showing what it last loaded.
func follow(j *jobs, store data.Store, onChange func(data.Change)) (stop func()) {
	stop, err := store.Subscribe(j.ctx, data.FeedLive, onChange)
	if err != nil {
		fyne.LogError("follow the store's changes", err)
		return func() {}
	}
	return stop
}
