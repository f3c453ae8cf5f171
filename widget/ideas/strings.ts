// The Ideas tab's strings, in its own chunk (the panel's are in ui/panel-strings.ts).
const en = {
  top: "Top",
  newest: "New",
  sortBy: "Sort ideas",
  empty: "No ideas yet. Suggest the first one.",
  vote: "Vote for {title}",
  votes: "{n} votes",
  comments: "{n} comments",
  back: "All ideas",
  title: "Your idea",
  details: "Details (optional)",
  suggest: "Suggest",
  comment: "Add a comment",
  post: "Comment",
  signIn: "Sign in to suggest ideas, vote and comment. What you typed is kept.",
  voteFailed: "Your vote could not be saved. Try again in a moment.",
  status: { open: "Open", planned: "Planned", in_progress: "In progress", done: "Done", declined: "Declined" },
};

const TABLES: Record<string, typeof en> = {
  en,
  fr: {
    top: "Populaires",
    newest: "Récentes",
    sortBy: "Trier les idées",
    empty: "Aucune idée pour l'instant. Proposez la première.",
    vote: "Voter pour {title}",
    votes: "{n} votes",
    comments: "{n} commentaires",
    back: "Toutes les idées",
    title: "Votre idée",
    details: "Détails (facultatif)",
    suggest: "Proposer",
    comment: "Ajouter un commentaire",
    post: "Commenter",
    signIn: "Connectez-vous pour proposer, voter et commenter. Ce que vous avez écrit est gardé.",
    voteFailed: "Votre vote n'a pas pu être enregistré. Réessayez dans un instant.",
    status: { open: "Ouverte", planned: "Prévue", in_progress: "En cours", done: "Faite", declined: "Refusée" },
  },
};

export const ideasStrings = (lang: string) => TABLES[lang] ?? en;
