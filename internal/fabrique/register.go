package fabrique

// ProcessingRegister is the register of processing activities of fabrique
// (article 30 of the GDPR): what is kept, why, how long, and who sees it.
// It describes the code as written; keep it true when a table changes.
func ProcessingRegister() []Processing {
	return []Processing{
		{
			Name:       "Inscriptions aux événements",
			Purpose:    "Organiser les événements : confirmer l'inscription, envoyer l'invitation et ses mises à jour, gérer les listes d'attente, préparer la feuille d'émargement, compter la participation par catégorie.",
			LegalBasis: "Consentement de la personne (case cochée au moment de l'inscription, texte conservé avec l'inscription).",
			Data:       []string{"nom", "adresse électronique", "catégorie (citoyen, agent public…)", "organisation", "ateliers choisis", "présence", "date et texte du consentement"},
			People:     "Participantes et participants inscrits ou venus sans inscription.",
			Retention:  "Jusqu'à la fin de la durée de conservation de l'événement (12 mois après sa fin par défaut, réglable de 1 à 36 mois par événement), puis anonymisation automatique : seuls restent la catégorie et le statut, pour les comptes.",
			Recipients: []string{"administrateurs (DITP)", "organisateurs de l'organisation hôte de l'événement", "animateurs, pour la feuille d'émargement de leurs ateliers", "la personne elle-même, par son lien personnel"},
			Safeguards: []string{"lien personnel aléatoire, conservé haché", "téléchargement de ses données (JSON) et effacement depuis la page personnelle", "aucune donnée personnelle dans les journaux"},
		},
		{
			Name:       "Messages aux participants",
			Purpose:    "Envoyer les invitations, modifications et annulations (courriel avec fichier iCalendar).",
			LegalBasis: "Consentement donné à l'inscription.",
			Data:       []string{"adresse électronique", "nom", "contenu du message", "réponse du serveur de messagerie"},
			People:     "Participantes et participants.",
			Retention:  "Comme l'inscription : supprimés à l'effacement ou à la fin de la durée de conservation de l'événement.",
			Recipients: []string{"administrateurs", "organisateurs de l'organisation hôte (lien personnel masqué)"},
			Safeguards: []string{"le lien personnel est retiré du message une fois envoyé"},
		},
		{
			Name:       "Contributions et comptes rendus",
			Purpose:    "Restituer les propositions des ateliers et publier les comptes rendus.",
			LegalBasis: "Mission d'intérêt public (participation du public) ; consentement pour être nommé.",
			Data:       []string{"texte de la contribution", "auteur tel qu'il souhaite être nommé", "organisation"},
			People:     "Personnes ayant contribué pendant un atelier.",
			Retention:  "Texte conservé (archives publiques) ; auteur retiré à la fin de la durée de conservation de l'événement ou à la demande.",
			Recipients: []string{"public, pour les contributions publiables des comptes rendus publiés", "équipe de l'événement"},
			Safeguards: []string{"un auteur n'est nommé dans le compte rendu publié qu'avec son accord"},
		},
		{
			Name:       "Commentaires des consultations sur les engagements",
			Purpose:    "Publier les commentaires sur l'avancement des engagements pendant une consultation, et en confirmer la réception.",
			LegalBasis: "Consentement de la personne (case cochée avec le commentaire) ; mission d'intérêt public (suivi du plan d'action).",
			Data:       []string{"nom ou pseudonyme choisi", "adresse électronique (jamais publiée)", "texte du commentaire", "date"},
			People:     "Personnes ayant commenté un engagement.",
			Retention:  "Adresse électronique effacée 12 mois après la fin de la consultation ; le commentaire publié reste sous le nom ou le pseudonyme choisi.",
			Recipients: []string{"public (nom ou pseudonyme et texte, une fois publié)", "administrateurs (modération)"},
			Safeguards: []string{"l'adresse n'apparaît dans aucune page, réponse de l'API ni donnée ouverte", "deux liens au plus par commentaire, envois limités par adresse"},
		},
		{
			Name:       "Comptes du personnel",
			Purpose:    "Authentifier administrateurs, organisateurs et animateurs.",
			LegalBasis: "Mission d'intérêt public (organisation du service).",
			Data:       []string{"nom", "adresse électronique", "rôle", "mot de passe (haché)", "sessions et jetons d'API (hachés)"},
			People:     "Agents publics et animateurs ayant un compte.",
			Retention:  "Tant que le compte existe ; sessions : 12 heures, supprimées à la déconnexion.",
			Recipients: []string{"administrateurs"},
			Safeguards: []string{"connexion limitée contre les essais répétés", "cookies HttpOnly, SameSite, Secure en https"},
		},
		{
			Name:       "Intervenants et animateurs",
			Purpose:    "Publier le programme (noms des intervenants et animateurs) et planifier les ateliers.",
			LegalBasis: "Mission d'intérêt public.",
			Data:       []string{"nom", "organisation", "adresse électronique (non publiée)", "thèmes", "disponibilités"},
			People:     "Intervenants et animateurs des événements.",
			Retention:  "Tant qu'ils figurent dans un programme ; effacement à leur demande par un administrateur.",
			Recipients: []string{"public (nom et organisation sur le programme)", "personnel (le reste)"},
			Safeguards: []string{"l'adresse électronique n'est jamais publiée"},
		},
	}
}
