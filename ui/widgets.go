package ui

import (
	"bytes"
	"image"
	"image/color"
	_ "image/jpeg" // children's pictures may be JPEG
	_ "image/png"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/assets"
	"locatiedesk/data"
)

// touchSize is the smallest tap target: about 9 mm on a 10-inch tablet,
// above the 48 dp that touch guidelines ask for.
const touchSize float32 = 56

// minSizeLayout stretches its objects over the container and makes the
// container at least min large, so a finger can hit it.
type minSizeLayout struct{ min fyne.Size }

func (l minSizeLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}

func (l minSizeLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	m := l.min
	for _, o := range objects {
		m = m.Max(o.MinSize())
	}
	return m
}

// touchable wraps obj so it is at least touchSize high and width wide.
func touchable(obj fyne.CanvasObject, width float32) fyne.CanvasObject {
	return container.New(minSizeLayout{fyne.NewSize(width, touchSize)}, obj)
}

// newTouchButton is a button sized for a finger.
func newTouchButton(text string, icon fyne.Resource, tapped func()) (*widget.Button, fyne.CanvasObject) {
	b := &widget.Button{Text: text, Icon: icon, OnTapped: tapped}
	return b, touchable(b, touchSize)
}

// avatar shows a child's picture, or initials on a coloured disc when there is
// none, with the photo-consent marker in its corner (C2).
type avatar struct {
	widget.BaseWidget
	initials string
	picture  image.Image
	// marker is the consent marker shown, nil when photos may be published.
	marker fyne.Resource
	// onTapped, when set, makes the avatar a button (it opens the child's consent).
	onTapped func()
}

func newAvatar() *avatar {
	a := &avatar{}
	a.ExtendBaseWidget(a)
	return a
}

// set shows picture when it decodes, else the initials.
func (a *avatar) set(initials string, picture []byte) {
	a.initials, a.picture = initials, nil
	if len(picture) > 0 {
		if img, _, err := image.Decode(bytes.NewReader(picture)); err == nil {
			a.picture = img
		}
	}
	a.Refresh()
}

// setConsent shows the marker of a consent level: none for public consent.
func (a *avatar) setConsent(level data.ConsentLevel) {
	a.marker = consentMarker(level)
	a.Refresh()
}

// consentMarker is the resource marking a level on a picture: the no-photos
// sign for no consent or no answer, the not-public sign for portal only.
func consentMarker(level data.ConsentLevel) fyne.Resource {
	switch {
	case !level.MayPhotograph():
		return markerNoPhotos
	case !level.MayPublish():
		return markerNotPublic
	}
	return nil
}

var (
	markerNoPhotos  = fyne.NewStaticResource("consent-no-photos.svg", assets.MarkerNoPhotos)
	markerNotPublic = fyne.NewStaticResource("consent-not-public.svg", assets.MarkerNotPublic)
)

// Tapped runs onTapped.
func (a *avatar) Tapped(*fyne.PointEvent) {
	if a.onTapped != nil {
		a.onTapped()
	}
}

// Cursor shows a hand where the avatar can be tapped.
func (a *avatar) Cursor() desktop.Cursor {
	if a.onTapped != nil {
		return desktop.PointerCursor
	}
	return desktop.DefaultCursor
}

func (a *avatar) CreateRenderer() fyne.WidgetRenderer {
	r := &avatarRenderer{a: a, disc: canvas.NewCircle(color.Transparent), text: canvas.NewText("", color.White), img: &canvas.Image{FillMode: canvas.ImageFillContain},
		badge: &canvas.Image{FillMode: canvas.ImageFillContain}}
	r.text.TextStyle.Bold = true
	r.text.Alignment = fyne.TextAlignCenter
	r.Refresh()
	return r
}

type avatarRenderer struct {
	a    *avatar
	disc *canvas.Circle
	text *canvas.Text
	img  *canvas.Image
	// badge is the consent marker over the picture's lower right corner.
	badge *canvas.Image
}

func (r *avatarRenderer) Layout(size fyne.Size) {
	side := fyne.Min(size.Width, size.Height)
	pos := fyne.NewPos((size.Width-side)/2, (size.Height-side)/2)
	for _, o := range []fyne.CanvasObject{r.disc, r.img} {
		o.Resize(fyne.NewSquareSize(side))
		o.Move(pos)
	}
	r.text.TextSize = side * 0.38
	ts := r.text.MinSize()
	r.text.Move(fyne.NewPos((size.Width-ts.Width)/2, (size.Height-ts.Height)/2))
	r.text.Resize(ts)
	badge := side * 0.5
	r.badge.Resize(fyne.NewSquareSize(badge))
	r.badge.Move(fyne.NewPos(pos.X+side-badge, pos.Y+side-badge))
}

func (r *avatarRenderer) MinSize() fyne.Size { return fyne.NewSquareSize(touchSize) }

func (r *avatarRenderer) Refresh() {
	r.disc.FillColor = theme.Color(theme.ColorNamePrimary)
	r.text.Text = r.a.initials
	r.img.Image = r.a.picture
	r.img.Hidden = r.a.picture == nil
	r.disc.Hidden, r.text.Hidden = !r.img.Hidden, !r.img.Hidden
	r.badge.Resource, r.badge.Hidden = r.a.marker, r.a.marker == nil
	r.badge.Refresh()
	r.Layout(r.a.Size())
	canvas.Refresh(r.a)
}

func (r *avatarRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.disc, r.img, r.text, r.badge}
}

func (r *avatarRenderer) Destroy() {}
