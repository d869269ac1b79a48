package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// The layouts here let every screen work from a portrait tablet (800 px
// wide) to an office screen: what does not fit beside each other goes below
// each other. Their minimum width is that of their widest part, so the
// window can always get as narrow as a tablet. Their height depends on the
// width they were last given; the window lays out again when it changes.

// wideEnough is the width from which the calendar shows its list beside
// the details instead of above them.
const wideEnough float32 = 1000

// flowLayout puts objects in a row at their minimum size and starts a new
// row where the next one does not fit: a header of pickers and buttons wraps
// on a narrow window instead of widening it.
type flowLayout struct{ width float32 }

// newFlow is a row of objects that wraps; group objects that belong together
// (the day buttons) in an HBox so they wrap as one.
func newFlow(objects ...fyne.CanvasObject) *fyne.Container {
	return container.New(&flowLayout{}, objects...)
}

// rows places the visible objects for a width; place is called with each
// object's position, and rows returns the total size.
func (l *flowLayout) rows(objects []fyne.CanvasObject, width float32, place func(fyne.CanvasObject, fyne.Position, fyne.Size)) fyne.Size {
	pad := theme.Padding()
	var x, y, rowHeight, usedWidth float32
	first := true
	for _, o := range objects {
		if !o.Visible() {
			continue
		}
		size := o.MinSize()
		if !first && x+size.Width > width {
			x, y, rowHeight = 0, y+rowHeight+pad, 0
		}
		if place != nil {
			place(o, fyne.NewPos(x, y), size)
		}
		first = false
		x += size.Width + pad
		rowHeight = fyne.Max(rowHeight, size.Height)
		usedWidth = fyne.Max(usedWidth, x-pad)
	}
	return fyne.NewSize(usedWidth, y+rowHeight)
}

func (l *flowLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	l.width = size.Width
	l.rows(objects, size.Width, func(o fyne.CanvasObject, pos fyne.Position, min fyne.Size) {
		o.Move(pos)
		o.Resize(min)
	})
}

// MinSize is as wide as the widest object and as high as the rows at the
// width last laid out (all in one row before the first layout).
func (l *flowLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var widest float32
	for _, o := range objects {
		if o.Visible() {
			widest = fyne.Max(widest, o.MinSize().Width)
		}
	}
	width := l.width
	if width <= 0 {
		width = float32(1 << 20)
	}
	return fyne.NewSize(widest, l.rows(objects, fyne.Max(width, widest), nil).Height)
}

// listRowLayout is a row of a list with its actions: what the row is about
// (lead), a short status and the buttons. On a wide window they stand in
// one line; on a narrow one the lead and status stand above and the
// buttons, stretched to the full width, below, so none is cut off.
type listRowLayout struct {
	// leadWidth is the least room the lead keeps beside the buttons.
	leadWidth float32
	width     float32
}

// newListRow lays out lead, status (may be nil) and actions as one list row.
func newListRow(lead, status, actions fyne.CanvasObject) *fyne.Container {
	if status == nil {
		status = container.NewStack()
	}
	return container.New(&listRowLayout{leadWidth: 320}, lead, status, actions)
}

func (l *listRowLayout) oneLine(objects []fyne.CanvasObject, width float32) bool {
	pad := theme.Padding()
	return width >= l.leadWidth+pad+objects[1].MinSize().Width+pad+objects[2].MinSize().Width
}

func (l *listRowLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	l.width = size.Width
	lead, status, actions := objects[0], objects[1], objects[2]
	pad := theme.Padding()
	sMin, aMin := status.MinSize(), actions.MinSize()
	if l.oneLine(objects, size.Width) {
		leadWidth := size.Width - aMin.Width - sMin.Width - 2*pad
		lead.Move(fyne.NewPos(0, 0))
		lead.Resize(fyne.NewSize(leadWidth, size.Height))
		status.Move(fyne.NewPos(leadWidth+pad, (size.Height-sMin.Height)/2))
		status.Resize(sMin)
		actions.Move(fyne.NewPos(size.Width-aMin.Width, (size.Height-aMin.Height)/2))
		actions.Resize(aMin)
		return
	}
	leadWidth := size.Width - sMin.Width - pad
	lead.Move(fyne.NewPos(0, 0))
	lead.Resize(fyne.NewSize(leadWidth, lead.MinSize().Height))
	top := fyne.Max(lead.MinSize().Height, sMin.Height)
	lead.Resize(fyne.NewSize(leadWidth, top))
	status.Move(fyne.NewPos(leadWidth+pad, (top-sMin.Height)/2))
	status.Resize(sMin)
	actions.Move(fyne.NewPos(0, top+pad))
	actions.Resize(fyne.NewSize(size.Width, aMin.Height))
}

func (l *listRowLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	lMin, sMin, aMin := objects[0].MinSize(), objects[1].MinSize(), objects[2].MinSize()
	pad := theme.Padding()
	width := fyne.Max(lMin.Width+pad+sMin.Width, aMin.Width)
	if l.width > 0 && l.oneLine(objects, l.width) {
		return fyne.NewSize(width, fyne.Max(fyne.Max(lMin.Height, sMin.Height), aMin.Height))
	}
	return fyne.NewSize(width, fyne.Max(lMin.Height, sMin.Height)+pad+aMin.Height)
}

// splitLayout shows a container.Split side by side on a wide window and one
// above the other on a narrow one.
type splitLayout struct{ split *container.Split }

// newAdaptiveSplit holds leading and trailing beside each other from
// wideEnough on, else above each other.
func newAdaptiveSplit(leading, trailing fyne.CanvasObject, offset float64) *fyne.Container {
	split := container.NewHSplit(leading, trailing)
	split.Offset = offset
	return container.New(&splitLayout{split: split}, split)
}

func (l *splitLayout) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	if horizontal := size.Width >= wideEnough; l.split.Horizontal != horizontal {
		l.split.Horizontal = horizontal
		l.split.Refresh()
	}
	l.split.Move(fyne.NewPos(0, 0))
	l.split.Resize(size)
}

// MinSize is that of the parts above each other: narrow enough for a tablet.
func (l *splitLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	lead, trail := l.split.Leading.MinSize(), l.split.Trailing.MinSize()
	return fyne.NewSize(fyne.Max(lead.Width, trail.Width), lead.Height+trail.Height+theme.Padding())
}

// buttonRowLayout puts buttons beside each other at least at their minimum
// width; extra room is shared out in proportion, so a row of big buttons
// fills the width of a tablet.
type buttonRowLayout struct{}

// newButtonRow is a row of buttons that widen together.
func newButtonRow(objects ...fyne.CanvasObject) *fyne.Container {
	return container.New(buttonRowLayout{}, objects...)
}

func (buttonRowLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	min := buttonRowLayout{}.MinSize(objects)
	pad := theme.Padding()
	stretch := float32(1)
	if inner := min.Width - pad*float32(visibleCount(objects)-1); inner > 0 {
		stretch = (size.Width - pad*float32(visibleCount(objects)-1)) / inner
	}
	x := float32(0)
	for _, o := range objects {
		if !o.Visible() {
			continue
		}
		w := o.MinSize().Width * stretch
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w + pad
	}
}

func (buttonRowLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var size fyne.Size
	for _, o := range objects {
		if o.Visible() {
			m := o.MinSize()
			size = fyne.NewSize(size.Width+m.Width, fyne.Max(size.Height, m.Height))
		}
	}
	if n := visibleCount(objects); n > 1 {
		size.Width += theme.Padding() * float32(n-1)
	}
	return size
}

func visibleCount(objects []fyne.CanvasObject) int {
	n := 0
	for _, o := range objects {
		if o.Visible() {
			n++
		}
	}
	return n
}

// fitDialog gives a dialog the size it asks, but never more than the window
// has, so its buttons stay in sight on a tablet.
func fitDialog(w fyne.Window, want fyne.Size) fyne.Size {
	room := w.Canvas().Size().Subtract(fyne.NewSquareSize(4 * theme.Padding()))
	return want.Min(room)
}
