// Self-hosted type: only the latin subset of the weights the deck uses, so nothing is fetched from a font CDN.
import '@fontsource/source-sans-3/latin-400.css'
import '@fontsource/source-sans-3/latin-400-italic.css'
import '@fontsource/source-sans-3/latin-600.css'
import '@fontsource/source-sans-3/latin-700.css'
import './deck.css'
import './cycle.css'
import './presenter.css'
