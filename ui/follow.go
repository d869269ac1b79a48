package ui

import (
	"context"

	"fyne.io/fyne/v2"

	"locatiedesk/data"
)

// follow subscribes a screen to the store's changes from now on; the screen
// calls stop when it closes. When the store cannot follow (its connection is
// down) the screen keeps showing what it last loaded.
func follow(store data.Store, onChange func(data.Change)) (stop func()) {
	stop, err := store.Subscribe(context.Background(), data.FeedLive, onChange)
	if err != nil {
		fyne.LogError("follow the store's changes", err)
		return func() {}
	}
	return stop
}
