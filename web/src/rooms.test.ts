import { describe, expect, it } from 'vitest';
import { parseRooms, roomsToRead } from './rooms';

describe('joined rooms', () => {
  it('read only the places of rooms joined; the rest are not in the queue without asking', () => {
    expect(roomsToRead(['a', 'b', 'c'], ['b', 'z'])).toEqual({ read: ['b'], notIn: ['a', 'c'] });
    expect(roomsToRead(['a'], [])).toEqual({ read: [], notIn: ['a'] });
  });

  it('count a broken stored value as none', () => {
    expect(parseRooms(null)).toEqual([]);
    expect(parseRooms('{')).toEqual([]);
    expect(parseRooms('{"a":1}')).toEqual([]);
    expect(parseRooms('["a",2,"b"]')).toEqual(['a', 'b']);
  });
});
