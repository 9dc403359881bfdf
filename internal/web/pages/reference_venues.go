package pages

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/web/httpx"
)

// Edit and delete pages of venues and their rooms (see reference.go).

var venuesCrumbs = []crumb{{Label: "Lieux et salles", Href: "/staff/venues"}}

func (s *Server) pathVenue(c *gin.Context) (*fabrique.Venue, error) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return nil, err
	}
	v, err := s.Store.Venues().Get(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	return v, mayWrite(c, "modifier un lieu qui n'est pas celui de votre organisation", fabrique.ObjVenue, fabrique.OrgOwner(v.HostOrganisationID))
}

func (s *Server) showVenueEdit(c *gin.Context, status int, f *form, name string) error {
	orgs, err := s.orgOptions(c)
	if err != nil {
		return err
	}
	return s.showEdit(c, status, "venue_edit.html", "Modifier « "+name+" »", f, map[string]any{"Organisations": ownOrgOptions(c, f, "host_organisation_id", orgs)}, venuesCrumbs)
}

// venueEditPage shows the form of a venue, filled.
func (s *Server) venueEditPage(c *gin.Context) error {
	v, err := s.pathVenue(c)
	if err != nil {
		return err
	}
	f := newForm("lieu", fmt.Sprintf("/staff/venues/%d/edit", v.ID), venueFields...)
	f.Set("name", v.Name)
	f.Set("address", v.Address)
	f.Set("city", v.City)
	f.Set("host_organisation_id", idText(v.HostOrganisationID))
	f.Set("access_notes", v.AccessNotes)
	return s.showVenueEdit(c, http.StatusOK, f, v.Name)
}

// updateVenue saves a venue.
func (s *Server) updateVenue(c *gin.Context) error {
	v, err := s.pathVenue(c)
	if err != nil {
		return err
	}
	name := v.Name
	f := postedForm(c, "lieu", fmt.Sprintf("/staff/venues/%d/edit", v.ID), venueFields...)
	readVenue(f, v)
	status, err := submit(f, nil, v.Validate, func() error { return s.Store.Venues().Update(c.Request.Context(), v) })
	if err != nil || status != 0 {
		return orErr(err, func() error { return s.showVenueEdit(c, status, f, name) })
	}
	return redirect(c, fmt.Sprintf("/staff/venues/%d", v.ID), "saved")
}

func venueDeletion(v *fabrique.Venue) deletion {
	return deletion{What: "le lieu « " + v.Name + " »", Action: fmt.Sprintf("/staff/venues/%d/delete", v.ID), Back: fmt.Sprintf("/staff/venues/%d", v.ID)}
}

// venueDeletePage asks to confirm the deletion of a venue.
func (s *Server) venueDeletePage(c *gin.Context) error {
	v, err := s.pathVenue(c)
	if err != nil {
		return err
	}
	return s.confirmDelete(c, http.StatusOK, venueDeletion(v), venuesCrumbs)
}

// deleteVenue removes a venue.
func (s *Server) deleteVenue(c *gin.Context) error {
	v, err := s.pathVenue(c)
	if err != nil {
		return err
	}
	return s.deleteThen(c, venueDeletion(v), venuesCrumbs, func() error { return s.Store.Venues().Delete(c.Request.Context(), v.ID) }, "/staff/venues")
}

// --- Rooms ------------------------------------------------------------------

func (s *Server) pathRoom(c *gin.Context) (*fabrique.Venue, *fabrique.Room, error) {
	ctx := c.Request.Context()
	item, err := httpx.PathID(c, "item")
	if err != nil {
		return nil, nil, err
	}
	venue, err := s.pathVenue(c)
	if err != nil {
		return nil, nil, err
	}
	v, err := s.Store.Rooms().Get(ctx, item)
	if err != nil {
		return nil, nil, err
	}
	if v.VenueID != venue.ID {
		return nil, nil, fabrique.Errorf(fabrique.ENOTFOUND, "Le lieu « %s » n'a pas de salle n° %d.", venue.Name, item)
	}
	return venue, v, nil
}

func roomCrumbs(venue *fabrique.Venue) []crumb {
	return append(venuesCrumbs[:1:1], crumb{Label: venue.Name, Href: fmt.Sprintf("/staff/venues/%d", venue.ID)})
}

// roomEditPage shows the form of a room, filled.
func (s *Server) roomEditPage(c *gin.Context) error {
	venue, v, err := s.pathRoom(c)
	if err != nil {
		return err
	}
	f := newForm("salle", fmt.Sprintf("/staff/venues/%d/rooms/%d/edit", venue.ID, v.ID), roomFields...)
	f.Set("name", v.Name)
	f.Set("capacity", fmt.Sprint(v.Capacity))
	if v.StepFree {
		f.Set("step_free", "1")
	}
	f.Set("equipment", strings.Join(v.Equipment, ", "))
	return s.showEdit(c, http.StatusOK, "room_edit.html", "Modifier la salle « "+v.Name+" »", f, venue, roomCrumbs(venue))
}

// updateRoom saves a room.
func (s *Server) updateRoom(c *gin.Context) error {
	venue, v, err := s.pathRoom(c)
	if err != nil {
		return err
	}
	name := v.Name
	f := postedForm(c, "salle", fmt.Sprintf("/staff/venues/%d/rooms/%d/edit", venue.ID, v.ID), roomFields...)
	readRoom(f, v)
	status, err := submit(f, nil, v.Validate, func() error { return s.Store.Rooms().Update(c.Request.Context(), v) })
	if err != nil || status != 0 {
		return orErr(err, func() error {
			return s.showEdit(c, status, "room_edit.html", "Modifier la salle « "+name+" »", f, venue, roomCrumbs(venue))
		})
	}
	return redirect(c, fmt.Sprintf("/staff/venues/%d", venue.ID), "saved")
}

func roomDeletion(venue *fabrique.Venue, v *fabrique.Room) deletion {
	return deletion{What: "la salle « " + v.Name + " »", Action: fmt.Sprintf("/staff/venues/%d/rooms/%d/delete", venue.ID, v.ID),
		Back: fmt.Sprintf("/staff/venues/%d", venue.ID)}
}

// roomDeletePage asks to confirm the deletion of a room.
func (s *Server) roomDeletePage(c *gin.Context) error {
	venue, v, err := s.pathRoom(c)
	if err != nil {
		return err
	}
	return s.confirmDelete(c, http.StatusOK, roomDeletion(venue, v), roomCrumbs(venue))
}

// deleteRoom removes a room.
func (s *Server) deleteRoom(c *gin.Context) error {
	venue, v, err := s.pathRoom(c)
	if err != nil {
		return err
	}
	return s.deleteThen(c, roomDeletion(venue, v), roomCrumbs(venue),
		func() error { return s.Store.Rooms().Delete(c.Request.Context(), v.ID) }, fmt.Sprintf("/staff/venues/%d", venue.ID))
}
