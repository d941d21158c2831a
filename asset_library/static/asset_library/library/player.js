// One shared <audio> for the cards' play buttons; the waveform fills as it plays.

import { icon } from "../dom.js";

let audio = null;
let currentButton = null;

function bars(button) {
  return button?.closest(".card-media")?.querySelectorAll(".waveform i") || [];
}

function setButton(button, playing) {
  if (!button) return;
  const title = button.getAttribute("aria-label").replace(/^(Play|Pause) /, "");
  button.setAttribute("aria-label", `${playing ? "Pause" : "Play"} ${title}`);
  button.innerHTML = icon(playing ? "pause" : "play").toString();
}

function paint() {
  const list = bars(currentButton);
  const progress = audio.duration ? audio.currentTime / audio.duration : 0;
  list.forEach((bar, i) => bar.classList.toggle("is-played", (i + 0.5) / list.length <= progress));
}

function reset() {
  bars(currentButton).forEach((bar) => bar.classList.remove("is-played"));
  setButton(currentButton, false);
  currentButton = null;
}

export function togglePlay(button, url) {
  if (!audio) {
    audio = new Audio();
    audio.preload = "none";
    audio.addEventListener("timeupdate", paint);
    audio.addEventListener("ended", reset);
    audio.addEventListener("error", reset);
  }
  if (currentButton === button) {
    if (audio.paused) { audio.play().catch(() => reset()); setButton(button, true); }
    else { audio.pause(); setButton(button, false); }
    return;
  }
  if (currentButton) { audio.pause(); reset(); }
  currentButton = button;
  audio.src = url;
  audio.play().catch(() => reset());
  setButton(button, true);
}

/** Stop playing if the card that plays is no longer on the page. */
export function stopIfDetached() {
  if (currentButton && !currentButton.isConnected) {
    audio?.pause();
    currentButton = null;
  }
}
