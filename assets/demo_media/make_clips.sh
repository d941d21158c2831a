#!/bin/sh
# Regenerates the demo video clips (needs ffmpeg with libx264 and libvpx).
set -e
cd "$(dirname "$0")"
mp4() { ffmpeg -hide_banner -loglevel error -y -f lavfi -i "$2" -an -vf format=yuv420p -c:v libx264 -preset veryslow -crf "${3:-34}" -movflags +faststart -map_metadata -1 -fflags +bitexact -flags:v +bitexact "$1.mp4"; }
webm() { ffmpeg -hide_banner -loglevel error -y -f lavfi -i "$2" -an -vf format=yuv420p -c:v libvpx -b:v "${3:-60k}" -auto-alt-ref 0 -deadline good -map_metadata -1 -fflags +bitexact -flags:v +bitexact "$1.webm"; }
mp4  clip01 "mandelbrot=size=320x180:rate=12:start_scale=3:end_scale=0.3,trim=duration=2"
mp4  clip02 "gradients=size=320x180:rate=12:speed=0.04:c0=0xff6a00:c1=0xee0979:c2=0x2b1055:nb_colors=3:duration=2"
mp4  clip03 "cellauto=size=160x90:rate=12:rule=30,trim=duration=2"
mp4  clip04 "sierpinski=size=224x126:rate=12:type=carpet,trim=duration=1.5"
mp4  clip05 "nullsrc=size=192x108:rate=12:duration=2,geq=r='128+110*sin(X/17+T*3)':g='110+90*sin(Y/13+T*2)':b='150+100*sin((X+Y)/23+T)'"
mp4  clip06 "nullsrc=size=256x144:rate=12:duration=2,geq=r='if(lt(hypot(X-128,Y-70+T*12),26),255,250-90*Y/H)':g='if(lt(hypot(X-128,Y-70+T*12),26),220,90+70*Y/H)':b='if(lt(hypot(X-128,Y-70+T*12),26),120,140-60*Y/H)'"
mp4  clip07 "testsrc2=size=224x126:rate=12:duration=1.5"
mp4  clip08 "mandelbrot=size=256x144:rate=12:start_x=-0.743643887:start_y=0.131825904:start_scale=0.05:end_scale=0.002:outer=normalized_iteration_count,trim=duration=2"
mp4  clip09 "gradients=size=180x320:rate=12:speed=0.05:c0=0x00c9ff:c1=0x92fe9d:nb_colors=2:duration=2"
mp4  clip10 "rgbtestsrc=size=160x90:rate=12:duration=1,hue=h=t*360"
webm clip11 "mandelbrot=size=320x180:rate=12:start_scale=2:end_scale=0.6:inner=period,trim=duration=2"
webm clip12 "gradients=size=320x180:rate=12:speed=0.03:c0=0x0f2027:c1=0x2c5364:c2=0xf7b733:nb_colors=3:duration=2"
webm clip13 "nullsrc=size=160x90:rate=12:duration=2,geq=r='90+80*sin(hypot(X-80,Y-45)/6-T*6)':g='60+50*sin(hypot(X-80,Y-45)/9-T*4)':b='200+55*sin(hypot(X-80,Y-45)/7-T*5)'"
webm clip14 "sierpinski=size=192x108:rate=12:type=triangle,trim=duration=2"
webm clip15 "life=size=160x90:rate=12:mold=10:life_color=#7cf29c:death_color=#0b1d13:ratio=0.35,trim=duration=1.5" 50k
webm clip16 "nullsrc=size=224x126:rate=12:duration=2,geq=r='128+100*sin((X+T*60)/9)':g='70+60*sin((Y-T*30)/11)':b='180+70*sin((X-Y)/14)'"
webm clip17 "smptehdbars=size=256x144:rate=12:duration=1"
webm clip18 "gradients=size=144x256:rate=12:speed=0.06:c0=0xf953c6:c1=0xb91d73:c2=0x3a1c71:nb_colors=3:duration=2"
webm clip19 "mandelbrot=size=224x126:rate=12:start_x=-1.25066:start_y=0.02012:start_scale=0.2:end_scale=0.01,trim=duration=2"
webm clip20 "testsrc=size=160x90:rate=12:duration=1.5"
