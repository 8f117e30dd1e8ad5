/** The toolbar badge's colours: amber while something needs attention, red on a tab whose last launch was refused. */
export const WARNING_COLOUR = '#ffb81c';
export const REFUSED_COLOUR = '#d5281b';
